package io.beacon.client.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.beacon.client.loadbalancer.LeastOutstandingStrategy;
import io.beacon.client.loadbalancer.LoadBalancerStrategy;
import io.beacon.client.loadbalancer.RandomStrategy;
import io.beacon.client.loadbalancer.RoundRobinStrategy;

/**
 * Resolves the strategy names in the configuration: the built-in ones, or the bean names of the
 * application's own {@link LoadBalancerStrategy} beans. An unknown name stops startup, naming the
 * key, the value and what would have been accepted.
 */
final class LoadBalancerStrategies {

	private final Map<String, LoadBalancerStrategy> known = new LinkedHashMap<>();

	LoadBalancerStrategies(Map<String, LoadBalancerStrategy> beans) {
		this.known.put("round-robin", new RoundRobinStrategy());
		this.known.put("random", new RandomStrategy());
		this.known.put("least-outstanding", new LeastOutstandingStrategy());
		this.known.putAll(beans);
	}

	LoadBalancerStrategy resolve(String key, String name) {
		LoadBalancerStrategy strategy = this.known.get(name);
		if (strategy == null) {
			strategy = this.known.get(name.toLowerCase(Locale.ROOT));
		}
		if (strategy == null) {
			throw new IllegalStateException(key + ": unknown load-balancer strategy '" + name + "'; use one of "
					+ new TreeSet<>(this.known.keySet()) + " (the names beyond the built-in ones are "
					+ "LoadBalancerStrategy beans)");
		}
		return strategy;
	}

	Map<String, LoadBalancerStrategy> perService(BeaconClientProperties.LoadBalancer properties) {
		Map<String, LoadBalancerStrategy> strategies = new LinkedHashMap<>();
		properties.getServices().forEach((service, settings) -> {
			if (settings.getStrategy() != null) {
				strategies.put(service.toLowerCase(Locale.ROOT), resolve(
						"beacon.client.load-balancer.services." + service + ".strategy", settings.getStrategy()));
			}
		});
		return strategies;
	}

	/** The configured name of a strategy, for display. */
	String nameOf(LoadBalancerStrategy strategy) {
		for (Map.Entry<String, LoadBalancerStrategy> entry : this.known.entrySet()) {
			if (entry.getValue() == strategy) {
				return entry.getKey();
			}
		}
		return strategy.getClass().getSimpleName();
	}

}
