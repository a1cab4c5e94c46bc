package io.beacon.registry.http;

import io.beacon.registry.config.SecurityProperties;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.security.ApiGuard;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP edge both sides of the port share: one way to answer a failure ({@link Problems}) and
 * one {@link IndexHeader}, used by the API's dispatcher and, through a filter and an exception
 * handler, by the WebFlux side (actuator).
 */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

	@Bean
	Problems problems(JsonMapper jsonMapper) {
		return new Problems(jsonMapper);
	}

	@Bean
	IndexHeader indexHeader(RegistryStore registry) {
		return new IndexHeader(registry);
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
	BeaconIndexWebFilter beaconIndexWebFilter(IndexHeader indexHeader) {
		return new BeaconIndexWebFilter(indexHeader);
	}

}
