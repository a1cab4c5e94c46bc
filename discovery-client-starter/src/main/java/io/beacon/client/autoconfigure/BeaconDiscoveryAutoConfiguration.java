package io.beacon.client.autoconfigure;

import java.time.Clock;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.WatchIdleTimeout;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;

/**
 * The discovery client: a cached, push-updated view of the services this application calls.
 */
@AutoConfiguration(after = BeaconClientAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnBean(RegistryClient.class)
public final class BeaconDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeaconDiscoveryClient beaconDiscoveryClient(RegistryClient registryClient, BeaconClientProperties properties,
			BeaconScheduler scheduler, @Qualifier(BeaconClientAutoConfiguration.CLOCK) Clock clock) {
		return new BeaconDiscoveryClient(registryClient, properties.getCache().getTtl(),
				properties.getCache().getRestartGrace(), WatchIdleTimeout.of(properties.getWatch().getIdleTimeout()),
				scheduler.executor(), clock);
	}

	@Bean
	@ConditionalOnMissingBean
	DiscoveryLifecycle beaconDiscoveryLifecycle(BeaconDiscoveryClient discoveryClient) {
		return new DiscoveryLifecycle(discoveryClient);
	}

}
