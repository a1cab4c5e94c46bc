package io.beacon.client.autoconfigure;

import io.beacon.client.actuate.BeaconEndpoint;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.registration.Registrar;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code /actuator/beacon} endpoint, when the application has Boot's actuator.
 */
@AutoConfiguration(after = { BeaconRegistrationAutoConfiguration.class, BeaconLoadBalancerAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(BeaconEndpoint.class)
public final class BeaconEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeaconEndpoint beaconEndpoint(ObjectProvider<Registrar> registrar, ObjectProvider<BeaconDiscoveryClient> discovery,
			ObjectProvider<LoadBalancer> loadBalancer) {
		return new BeaconEndpoint(registrar.getIfAvailable(), discovery.getIfAvailable(),
				loadBalancer.getIfAvailable());
	}

}
