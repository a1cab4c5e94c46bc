package io.beacon.client.actuate;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.beacon.client.ServiceInstance;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.registration.RegistrationListener;
import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.web.LoadBalancerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The client's meters: calls to the registry by operation and outcome, heartbeats, cache size and
 * staleness, requests per service and instance with their outcome, retries and ejections.
 */
public class BeaconClientMetrics implements RegistryCallListener, RegistrationListener, LoadBalancerMetrics {

	/** The meters tagged with an instance: removed when the instance leaves. */
	private static final Set<String> PER_INSTANCE = Set.of("beacon.client.requests", "beacon.client.ejections");

	private final MeterRegistry meters;

	private final Counter heartbeatsAccepted;

	private final Counter heartbeatsFailed;

	private final Counter registrations;

	private final Map<String, Map<String, Map<String, Timer>>> requestTimers = new ConcurrentHashMap<>();

	/**
	 * @param discovery the discovery client, when there is one (read when the gauges are)
	 */
	public BeaconClientMetrics(MeterRegistry meters, Supplier<BeaconDiscoveryClient> discovery) {
		this.meters = meters;
		this.heartbeatsAccepted = Counter.builder("beacon.client.heartbeats")
			.description("Heartbeats sent to the registry")
			.tag("outcome", "accepted")
			.register(meters);
		this.heartbeatsFailed = Counter.builder("beacon.client.heartbeats")
			.description("Heartbeats sent to the registry")
			.tag("outcome", "failed")
			.register(meters);
		this.registrations = Counter.builder("beacon.client.registrations")
			.description("Registrations accepted by the registry")
			.register(meters);
		Gauge.builder("beacon.client.cache.instances", discovery,
				(provider) -> cacheSize(provider.get()))
			.description("Instances in the cached view of the registry")
			.register(meters);
		Gauge.builder("beacon.client.cache.staleness", discovery, (provider) -> staleness(provider.get()))
			.description("How long the cached view has not been kept current by the registry (0 while it is)")
			.baseUnit("seconds")
			.register(meters);
	}

	private static double cacheSize(BeaconDiscoveryClient discovery) {
		return (discovery != null) ? discovery.cacheSize() : 0;
	}

	private static double staleness(BeaconDiscoveryClient discovery) {
		return (discovery != null) ? discovery.staleness().toNanos() / 1e9 : 0;
	}

	@Override
	public void onCall(String operation, String outcome, long nanos) {
		Timer.builder("beacon.client.registry.calls")
			.description("Calls to the registry")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.register(this.meters)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void onRegistered() {
		this.registrations.increment();
	}

	@Override
	public void onHeartbeat(boolean accepted) {
		(accepted ? this.heartbeatsAccepted : this.heartbeatsFailed).increment();
	}

	@Override
	public void attempt(ServiceInstance instance, String outcome, long nanos) {
		// looked up without building a meter id on every request: this runs per load-balanced call
		Map<String, Map<String, Timer>> byInstance = this.requestTimers.get(instance.service());
		Map<String, Timer> byOutcome = (byInstance != null) ? byInstance.get(instance.instanceId()) : null;
		Timer timer = (byOutcome != null) ? byOutcome.get(outcome) : null;
		if (timer == null) {
			timer = this.requestTimers.computeIfAbsent(instance.service(), (key) -> new ConcurrentHashMap<>())
				.computeIfAbsent(instance.instanceId(), (key) -> new ConcurrentHashMap<>())
				.computeIfAbsent(outcome, (key) -> Timer.builder("beacon.client.requests")
					.description("Load-balanced requests by service, instance and outcome (one per attempt)")
					.tag("service", instance.service())
					.tag("instance", instance.instanceId())
					.tag("outcome", outcome)
					.register(this.meters));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void retry(String service, String reason) {
		Counter.builder("beacon.client.retries")
			.description("Load-balanced requests tried again on another instance")
			.tag("service", service)
			.tag("reason", reason)
			.register(this.meters)
			.increment();
	}

	/** Removes the per-instance meters of a service's instances that left the registry. */
	@Override
	public void retainOnly(String service, Collection<ServiceInstance> present) {
		Set<String> keep = new HashSet<>();
		present.forEach((instance) -> keep.add(instance.instanceId()));
		Map<String, Map<String, Timer>> byInstance = this.requestTimers.get(service);
		if (byInstance != null) {
			byInstance.keySet().removeIf((instanceId) -> !keep.contains(instanceId));
		}
		for (String name : PER_INSTANCE) {
			this.meters.find(name)
				.tag("service", service)
				.meters()
				.stream()
				.filter((meter) -> !keep.contains(meter.getId().getTag("instance")))
				.forEach(this.meters::remove);
		}
	}

	@Override
	public void ejected(ServiceInstance instance) {
		Counter.builder("beacon.client.ejections")
			.description("Instances skipped for a while after refusing a connection")
			.tag("service", instance.service())
			.tag("instance", instance.instanceId())
			.register(this.meters)
			.increment();
	}

}
