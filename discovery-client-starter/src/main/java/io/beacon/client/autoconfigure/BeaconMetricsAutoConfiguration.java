package io.beacon.client.autoconfigure;

import io.beacon.client.actuate.BeaconClientMetrics;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The client's Micrometer meters, when the application has a meter registry.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnBean(MeterRegistry.class)
public final class BeaconMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeaconClientMetrics beaconClientMetrics(MeterRegistry meters, ObjectProvider<BeaconDiscoveryClient> discovery) {
		return new BeaconClientMetrics(meters, discovery::getIfAvailable);
	}

}
