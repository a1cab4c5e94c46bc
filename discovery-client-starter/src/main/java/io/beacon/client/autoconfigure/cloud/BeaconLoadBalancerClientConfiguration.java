package io.beacon.client.autoconfigure.cloud;

import io.beacon.client.cloud.PushedServiceInstanceListSupplier;
import io.beacon.client.discovery.BeaconDiscoveryClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The configuration of each Spring Cloud LoadBalancer client context: its instance list is fed by
 * Beacon's pushes, in place of LoadBalancer's discovery-client list behind a 35 s cache.
 */
@Configuration(proxyBeanMethods = false)
public class BeaconLoadBalancerClientConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceListSupplier beaconServiceInstanceListSupplier(Environment environment,
			BeaconDiscoveryClient discovery) {
		String serviceId = environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
		return new PushedServiceInstanceListSupplier(serviceId, discovery);
	}

}
