package io.beacon.registry.config;

import java.time.Clock;

import io.beacon.registry.core.Registry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the framework-free registry core into the application.
 */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock registryClock() {
		return Clock.systemUTC();
	}

	@Bean
	Registry registry(Clock clock, RegistryProperties properties) {
		return new Registry(clock, properties.getWatch().getChangeLogCapacity());
	}

	@Bean
	LeaseSweeper leaseSweeper(Registry registry, RegistryProperties properties) {
		return new LeaseSweeper(registry, properties.getLeaseCheckInterval());
	}

}
