package io.beacon.registry.config;

import java.time.Clock;

import io.beacon.registry.core.Registry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the framework-free registry core into the application.
 */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

	/**
	 * The registry, on the system clock unless a {@link Clock} bean is defined (tests define one).
	 */
	@Bean
	Registry registry(ObjectProvider<Clock> clock, RegistryProperties properties) {
		return new Registry(clock.getIfAvailable(Clock::systemUTC), properties.getWatch().getChangeLogCapacity());
	}

	@Bean
	LeaseSweeper leaseSweeper(Registry registry, RegistryProperties properties) {
		return new LeaseSweeper(registry, properties.getLeaseCheckInterval());
	}

}
