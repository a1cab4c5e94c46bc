package io.beacon.client.autoconfigure;

import io.beacon.client.actuate.BeaconHealthIndicator;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.registration.Registrar;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code beacon} health component, when the application has Boot's health support.
 */
@AutoConfiguration(after = { BeaconRegistrationAutoConfiguration.class, BeaconDiscoveryAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("beacon")
public final class BeaconHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "beaconHealthIndicator")
	BeaconHealthIndicator beaconHealthIndicator(ObjectProvider<Registrar> registrar,
			ObjectProvider<BeaconDiscoveryClient> discovery) {
		return new BeaconHealthIndicator(registrar.getIfAvailable(), discovery.getIfAvailable());
	}

}
