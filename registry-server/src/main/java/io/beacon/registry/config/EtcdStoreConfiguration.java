package io.beacon.registry.config;

import java.time.Clock;

import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.etcd.EtcdRegistry;
import io.beacon.registry.etcd.EtcdSettings;
import io.beacon.registry.etcd.EtcdStart;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry kept in etcd and shared by replicas ({@code beacon.registry.store=etcd}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beacon.registry.store", havingValue = "etcd")
public class EtcdStoreConfiguration {

	/**
	 * Connects at startup: an etcd that does not answer fails the start, naming the endpoints key.
	 * It takes over the requests {@link EtcdEarlyStart} sent before the context was refreshed, when
	 * they were sent with these settings.
	 */
	@Bean(destroyMethod = "close")
	EtcdRegistry etcdRegistry(EtcdProperties etcd, RegistryProperties properties, ObjectProvider<Clock> clock,
			ObjectProvider<Ticker> ticker, ObjectProvider<EtcdStart> early) {
		EtcdSettings settings = etcd.toSettings();
		EtcdStart start = early.getIfAvailable();
		if (start == null || !start.settings().equals(settings)) {
			start = EtcdStart.begin(settings);
		}
		return EtcdRegistry.connect(start, clock.getIfAvailable(Clock::systemUTC),
				ticker.getIfAvailable(Ticker::system), properties.getWatch().getChangeLogCapacity());
	}

	/** DOWN while etcd does not answer: the replica then answers reads from its last view only. */
	@Bean
	HealthIndicator registryStoreHealthIndicator(RegistryStore store) {
		return () -> store.stale()
				? Health.down().withDetail("store", "etcd").withDetail("reason", "etcd does not answer").build()
				: Health.up().withDetail("store", "etcd").withDetail("index", store.index()).build();
	}

}
