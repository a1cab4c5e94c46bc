package io.beacon.registry.api;

import java.time.Clock;
import java.util.Locale;

import io.beacon.registry.config.RegistryProperties;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.http.ApiDispatcher;
import io.beacon.registry.http.IndexHeader;
import io.beacon.registry.http.JsonBodyReader;
import io.beacon.registry.http.JsonReplies;
import io.beacon.registry.http.Offload;
import io.beacon.registry.http.Problems;
import io.beacon.registry.schedule.RegistryScheduler;
import io.beacon.registry.security.ApiGuard;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry's REST API v1: its endpoints, served by the {@link ApiDispatcher} as a Reactor Netty
 * route on the server's port; every other path (actuator) falls through to Spring WebFlux.
 */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

	private static final int OFFLOAD_THREADS = 32;

	private static final int OFFLOAD_QUEUE = 10_000;

	/** Writes instances directly rather than by reflection; Boot adds module beans to its mapper. */
	@Bean
	JacksonModule beaconInstanceJson() {
		return InstanceJson.module();
	}

	/**
	 * Where writes run: inline on the event loop with the memory store (they only take its lock);
	 * on worker threads when the store's writes wait for etcd. Enough workers for the writes of a
	 * few hundred instances per second at etcd round trips of tens of milliseconds; beyond the queue,
	 * writes get a 503 and the client retries (possibly at another replica).
	 */
	@Bean(destroyMethod = "close")
	Offload registryWriteOffload(RegistryStore registry) {
		return registry.writesBlock() ? Offload.toWorkers(OFFLOAD_THREADS, OFFLOAD_QUEUE) : Offload.inline();
	}

	/**
	 * What binds instances' liveness to their lease streams; its grace timers run on the registry's
	 * scheduler thread.
	 */
	@Bean(destroyMethod = "close")
	LeaseBindings leaseBindings(RegistryStore registry, RegistryProperties properties, RegistryScheduler scheduler,
			ObjectProvider<Ticker> ticker, MeterRegistry meters) {
		RegistryProperties.LeaseStream lease = properties.getLeaseStream();
		LeaseBindings bindings = new LeaseBindings(registry, scheduler::runOnce, ticker.getIfAvailable(Ticker::system),
				properties.getConnectionGrace(), lease.getFlapLimit(), lease.getFlapWindow(),
				LeaseStreamMetrics.of(meters));
		LeaseStreamMetrics.gaugeOpenStreams(meters, bindings);
		return bindings;
	}

	@Bean
	LeaseStreamsShutdown leaseStreamsShutdown(LeaseBindings bindings) {
		return new LeaseStreamsShutdown(bindings);
	}

	@Bean
	NettyRouteProvider registryApiRoutes(RegistryStore registry, RegistryProperties properties, JsonMapper jsonMapper,
			MeterRegistry meters, Problems problems, IndexHeader indexHeader, ObjectProvider<Clock> clock,
			ObjectProvider<Ticker> ticker, ObjectProvider<BuildProperties> build, ApiGuard guard, Offload offload,
			LeaseBindings bindings) {
		JsonReplies replies = new JsonReplies(jsonMapper);
		JsonBodyReader reader = new JsonBodyReader((int) properties.getMaxRequestBody().toBytes(),
				properties.getRequestReadTimeout());
		InstanceEndpoints instances = new InstanceEndpoints(registry, reader, replies, properties.getDefaultLeaseTtl());
		ServiceEndpoints services = new ServiceEndpoints(registry, replies);
		RegistryProperties.Watch watch = properties.getWatch();
		WatchEndpoint watchEndpoint = new WatchEndpoint(registry, new WatchEvents(jsonMapper), WatchMetrics.of(meters),
				watch.getMaxPendingEvents(), watch.getKeepAlive());
		LeaseStreamEndpoint leaseStream = new LeaseStreamEndpoint(registry, bindings,
				properties.getLeaseStream().getKeepAlive(), jsonMapper);
		PrometheusTargetsEndpoint prometheus = new PrometheusTargetsEndpoint(registry, replies);
		BuildProperties buildInfo = build.getIfAvailable();
		RegistryEndpoint facts = new RegistryEndpoint(registry,
				properties.getStore().name().toLowerCase(Locale.ROOT), replies, clock.getIfAvailable(Clock::systemUTC),
				ticker.getIfAvailable(Ticker::system), (buildInfo != null) ? buildInfo.getVersion() : "unknown");
		ApiDispatcher dispatcher = new ApiDispatcher(ApiRoutes.of(instances, leaseStream, services, watchEndpoint, facts,
				prometheus, new WhoAmIEndpoint(replies, guard), guard, offload), problems, indexHeader, meters);
		return (routes) -> routes.route(ApiDispatcher::handles, dispatcher);
	}

	/**
	 * Runs the watch path in the background once the registry is ready, on a registry, dispatcher
	 * and meters of its own; {@code beacon.registry.watch.warm-up=false} turns it off. It is bounded
	 * in real time, whatever clock a test puts the registry on.
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "beacon.registry.watch.warm-up", matchIfMissing = true)
	WatchWarmup watchWarmup(RegistryProperties properties, JsonMapper jsonMapper, Problems problems,
			RegistryScheduler scheduler) {
		return new WatchWarmup(WatchWarmup.dispatchers(jsonMapper, problems, properties.getWatch()), scheduler::runOnce,
				Clock.systemUTC(), Ticker.system(), WatchWarmup.CHANGES);
	}

}
