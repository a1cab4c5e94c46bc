package io.beacon.client.autoconfigure;

import io.beacon.client.actuate.BeaconClientMetrics;
import io.beacon.client.actuate.BeaconEndpoint;
import io.beacon.client.actuate.BeaconHealthIndicator;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.registration.Registrar;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The client's health component, actuator endpoint and meters, each when the application has the
 * matching part of Boot's actuator.
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
public final class BeaconActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("beacon")
	static final class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "beaconHealthIndicator")
		BeaconHealthIndicator beaconHealthIndicator(ObjectProvider<Registrar> registrar,
				ObjectProvider<BeaconDiscoveryClient> discovery) {
			return new BeaconHealthIndicator(registrar.getIfAvailable(), discovery.getIfAvailable());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(BeaconEndpoint.class)
	static final class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BeaconEndpoint beaconEndpoint(ObjectProvider<Registrar> registrar,
				ObjectProvider<BeaconDiscoveryClient> discovery, ObjectProvider<LoadBalancer> loadBalancer) {
			return new BeaconEndpoint(registrar.getIfAvailable(), discovery.getIfAvailable(),
					loadBalancer.getIfAvailable());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static final class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BeaconClientMetrics beaconClientMetrics(MeterRegistry meters,
				ObjectProvider<BeaconDiscoveryClient> discovery) {
			return new BeaconClientMetrics(meters, discovery);
		}

	}

}
