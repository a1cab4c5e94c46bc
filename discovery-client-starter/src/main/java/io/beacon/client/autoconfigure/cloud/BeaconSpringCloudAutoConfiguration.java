package io.beacon.client.autoconfigure.cloud;

import io.beacon.client.autoconfigure.BeaconClientProperties;
import io.beacon.client.autoconfigure.BeaconDiscoveryAutoConfiguration;
import io.beacon.client.cloud.BeaconCloudDiscoveryClient;
import io.beacon.client.cloud.BeaconReactiveCloudDiscoveryClient;
import io.beacon.client.cloud.Heartbeats;
import io.beacon.client.cloud.NewServiceHeartbeats;
import io.beacon.client.cloud.ViewChangeHeartbeats;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.WatchIdleTimeout;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beacon as Spring Cloud's discovery client (blocking and reactive) and as Spring Cloud
 * LoadBalancer's instance list, when Spring Cloud is on the classpath. Honours
 * {@code spring.cloud.discovery.enabled}, {@code spring.cloud.discovery.blocking.enabled},
 * {@code spring.cloud.discovery.reactive.enabled} and {@code spring.cloud.loadbalancer.enabled}.
 * Runs before Spring Cloud's own configurations, so that its composite clients include Beacon's.
 */
@AutoConfiguration(after = BeaconDiscoveryAutoConfiguration.class,
		beforeName = { "org.springframework.cloud.client.CommonsClientAutoConfiguration",
				"org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration",
				"org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
				"org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration",
				"org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
				"org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration",
				"org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration" })
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnBean(BeaconDiscoveryClient.class)
public final class BeaconSpringCloudAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBlockingDiscoveryEnabled
	static final class Blocking {

		@Bean
		@ConditionalOnMissingBean
		BeaconCloudDiscoveryClient beaconCloudDiscoveryClient(BeaconDiscoveryClient discovery) {
			return new BeaconCloudDiscoveryClient(discovery);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnReactiveDiscoveryEnabled
	static final class Reactive {

		@Bean
		@ConditionalOnMissingBean
		BeaconReactiveCloudDiscoveryClient beaconReactiveCloudDiscoveryClient(BeaconDiscoveryClient discovery) {
			return new BeaconReactiveCloudDiscoveryClient(discovery);
		}

	}

	@Bean
	@ConditionalOnMissingBean
	Heartbeats beaconHeartbeats(ApplicationEventPublisher publisher) {
		return new Heartbeats(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	ViewChangeHeartbeats beaconViewChangeHeartbeats(BeaconDiscoveryClient discovery, Heartbeats heartbeats) {
		return new ViewChangeHeartbeats(discovery, heartbeats);
	}

	/**
	 * A gateway routing every discovered service must hear of new services, which nothing has
	 * looked up yet.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("spring.cloud.gateway.server.webflux.discovery.locator.enabled")
	NewServiceHeartbeats beaconNewServiceHeartbeats(RegistryClient client, Heartbeats heartbeats,
			BeaconClientProperties properties) {
		return new NewServiceHeartbeats(client, heartbeats,
				WatchIdleTimeout.of(properties.getWatch().getIdleTimeout()));
	}

	/** Every load-balanced client's instance list comes from Beacon's pushes. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ServiceInstanceListSupplier.class)
	@ConditionalOnBooleanProperty(name = "spring.cloud.loadbalancer.enabled", matchIfMissing = true)
	@LoadBalancerClients(defaultConfiguration = BeaconLoadBalancerClientConfiguration.class)
	static final class LoadBalancing {

	}

}
