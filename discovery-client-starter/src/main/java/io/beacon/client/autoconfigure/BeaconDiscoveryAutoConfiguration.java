package io.beacon.client.autoconfigure;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.registry.RegistryClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The discovery client: a cached, push-updated view of the services this application calls.
 */
@AutoConfiguration(after = BeaconClientAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnBean(RegistryClient.class)
public final class BeaconDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeaconDiscoveryClient beaconDiscoveryClient(RegistryClient registryClient, BeaconClientProperties properties) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("beacon-discovery-");
		threads.setDaemon(true);
		return new BeaconDiscoveryClient(registryClient, properties.getCache().getTtl(),
				properties.getCache().getRestartGrace(), properties.getRequestTimeout(), threads);
	}

	@Bean
	@ConditionalOnMissingBean
	DiscoveryLifecycle beaconDiscoveryLifecycle(BeaconDiscoveryClient discoveryClient) {
		return new DiscoveryLifecycle(discoveryClient);
	}

}
