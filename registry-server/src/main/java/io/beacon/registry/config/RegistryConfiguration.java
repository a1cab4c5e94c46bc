package io.beacon.registry.config;

import java.time.Clock;

import io.beacon.registry.core.Registry;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.schedule.PeriodicTask;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the framework-free registry core into the application: the in-memory store unless
 * {@code beacon.registry.store=etcd} (see {@link EtcdStoreConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

	/**
	 * The registry, on the system clock and the JVM's monotonic ticker unless a {@link Clock} or a
	 * {@link Ticker} bean is defined (tests define one that moves when they say).
	 */
	@Bean
	@ConditionalOnProperty(name = "beacon.registry.store", havingValue = "memory", matchIfMissing = true)
	Registry registry(ObjectProvider<Clock> clock, ObjectProvider<Ticker> ticker, RegistryProperties properties) {
		return new Registry(clock.getIfAvailable(Clock::systemUTC), ticker.getIfAvailable(Ticker::system),
				properties.getWatch().getChangeLogCapacity());
	}

	/**
	 * Lapses and evicts silent leases at a short, fixed interval (see {@link RegistryStore#expireLeases()}).
	 * The properties come first: an unknown {@code beacon.registry.store} then fails binding, naming
	 * the key, before the missing store would.
	 */
	@Bean
	PeriodicTask leaseSweep(RegistryProperties properties, RegistryStore registry) {
		return new PeriodicTask("lease sweep", properties.getLeaseCheckInterval(), registry::expireLeases);
	}

}
