package io.beacon.registry.web;

import io.beacon.registry.config.RegistryProperties;
import io.beacon.registry.config.SecurityProperties;
import io.beacon.registry.core.Registry;
import io.beacon.registry.security.ApiGuard;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP face of the registry. The API is a Reactor Netty route on the server's port; every other
 * path (actuator) falls through to Spring WebFlux on the same port.
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

	/** Writes instances directly rather than by reflection; Boot adds module beans to its mapper. */
	@Bean
	JacksonModule beaconInstanceJson() {
		return InstanceJson.module();
	}

	@Bean
	Problems problems(JsonMapper jsonMapper) {
		return new Problems(jsonMapper);
	}

	@Bean
	NettyRouteProvider registryApiRoutes(Registry registry, RegistryProperties properties, JsonMapper jsonMapper,
			MeterRegistry meters, Problems problems, ApiGuard guard) {
		JsonReplies replies = new JsonReplies(jsonMapper);
		JsonBodyReader reader = new JsonBodyReader((int) properties.getMaxRequestBody().toBytes(),
				properties.getRequestReadTimeout());
		InstanceEndpoints instances = new InstanceEndpoints(registry, reader, replies,
				(int) properties.getDefaultLeaseTtl().toSeconds());
		ServiceEndpoints services = new ServiceEndpoints(registry, replies);
		RegistryProperties.Watch watch = properties.getWatch();
		WatchEndpoint watchEndpoint = new WatchEndpoint(registry, new SseEncoder(jsonMapper), WatchMetrics.of(meters),
				watch.getMaxPendingEvents(), watch.getKeepAlive());
		ApiDispatcher dispatcher = new ApiDispatcher(registry, instances, services, watchEndpoint,
				new WhoAmIEndpoint(replies, guard), problems, new ApiMetrics(meters), guard);
		return (routes) -> routes.route(ApiDispatcher::isApiRequest, dispatcher);
	}

	@Bean
	ProblemWebExceptionHandler problemWebExceptionHandler(Problems problems) {
		return new ProblemWebExceptionHandler(problems);
	}

	/** With security on, every actuator endpoint but the open ones needs an admin token. */
	@Bean
	@ConditionalOnBooleanProperty("beacon.registry.security.enabled")
	ActuatorGuardWebFilter actuatorGuardWebFilter(ApiGuard guard, SecurityProperties security,
			@Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
		return new ActuatorGuardWebFilter(guard, basePath, security.getOpenActuatorEndpoints());
	}

	@Bean
	BeaconIndexWebFilter beaconIndexWebFilter(Registry registry) {
		return new BeaconIndexWebFilter(registry);
	}

}
