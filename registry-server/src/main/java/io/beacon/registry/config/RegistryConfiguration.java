package io.beacon.registry.config;

import java.time.Clock;

import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.schedule.PeriodicTask;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the framework-free registry core into the application.
 */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

	/**
	 * The registry, on the system clock and the JVM's monotonic ticker unless a {@link Clock} or a
	 * {@link Ticker} bean is defined (tests define one that moves when they say).
	 */
	@Bean
	Registry registry(ObjectProvider<Clock> clock, ObjectProvider<Ticker> ticker, RegistryProperties properties) {
		return new Registry(clock.getIfAvailable(Clock::systemUTC), ticker.getIfAvailable(Ticker::system),
				properties.getWatch().getChangeLogCapacity());
	}

	/** Lapses and evicts silent leases at a short, fixed interval (see {@link Registry#expireLeases()}). */
	@Bean
	PeriodicTask leaseSweep(Registry registry, RegistryProperties properties) {
		return new PeriodicTask("lease sweep", properties.getLeaseCheckInterval(), registry::expireLeases);
	}

}
