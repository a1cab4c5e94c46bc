package io.beacon.client.autoconfigure;

import java.util.Map;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.loadbalancer.Ejections;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.loadbalancer.LoadBalancerStrategy;
import io.beacon.client.web.LoadBalanced;
import io.beacon.client.web.LoadBalancerExchangeFilterFunction;
import io.beacon.client.web.LoadBalancerMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The load-balanced {@code WebClient.Builder}, qualified {@link LoadBalanced}. It is not a default
 * candidate: a {@code WebClient.Builder} injected without the qualifier is still Boot's plain one.
 */
@AutoConfiguration(after = { BeaconDiscoveryAutoConfiguration.class, WebClientAutoConfiguration.class })
@ConditionalOnClass(WebClient.class)
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "beacon.client.load-balancer.enabled", matchIfMissing = true)
@ConditionalOnBean(BeaconDiscoveryClient.class)
public final class BeaconLoadBalancerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerStrategies beaconLoadBalancerStrategies(Map<String, LoadBalancerStrategy> strategyBeans) {
		return new LoadBalancerStrategies(strategyBeans);
	}

	@Bean
	@ConditionalOnMissingBean
	LoadBalancer beaconLoadBalancer(BeaconClientProperties properties, LoadBalancerStrategies strategies) {
		BeaconClientProperties.LoadBalancer settings = properties.getLoadBalancer();
		return new LoadBalancer(strategies.resolve("beacon.client.load-balancer.strategy", settings.getStrategy()),
				strategies.perService(settings), new Ejections(System::nanoTime), settings.getEjectionTime());
	}

	/** Keeps the load balancer's per-instance counts to the instances the registry still lists. */
	@Bean
	@ConditionalOnMissingBean
	LoadBalancerPruning beaconLoadBalancerPruning(LoadBalancer loadBalancer,
			ObjectProvider<LoadBalancerMetrics> metrics, BeaconDiscoveryClient discoveryClient) {
		return new LoadBalancerPruning(loadBalancer, LoadBalancerMetrics.all(metrics.orderedStream().toList()),
				discoveryClient);
	}

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerExchangeFilterFunction beaconLoadBalancerFilter(BeaconDiscoveryClient discoveryClient,
			LoadBalancer loadBalancer, BeaconClientProperties properties,
			ObjectProvider<LoadBalancerMetrics> metrics) {
		return new LoadBalancerExchangeFilterFunction(discoveryClient::cachedInstances, discoveryClient::instances,
				loadBalancer, properties.getLoadBalancer().getMaxRetries(),
				LoadBalancerMetrics.all(metrics.orderedStream().toList()));
	}

	/**
	 * A fresh builder for each injection point, from Boot's (codecs, customizers) when there is
	 * one, with the load-balancing filter added.
	 */
	@Bean(defaultCandidate = false)
	@LoadBalanced
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	@ConditionalOnMissingBean(annotation = LoadBalanced.class)
	WebClient.Builder loadBalancedWebClientBuilder(ObjectProvider<WebClient.Builder> plain,
			LoadBalancerExchangeFilterFunction filter) {
		return plain.getIfAvailable(WebClient::builder).filter(filter);
	}

}
