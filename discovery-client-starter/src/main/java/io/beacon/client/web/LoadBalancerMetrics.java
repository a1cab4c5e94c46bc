package io.beacon.client.web;

import java.util.Collection;

import io.beacon.client.ServiceInstance;

/**
 * Told about what the load-balancing filter does, for metrics.
 */
public interface LoadBalancerMetrics {

	LoadBalancerMetrics NONE = new LoadBalancerMetrics() {
	};

	/**
	 * One attempt of a request ended.
	 * @param outcome SUCCESS (2xx/3xx), CLIENT_ERROR (4xx), SERVER_ERROR (5xx), CONNECT_FAILURE or
	 * FAILURE
	 */
	default void attempt(ServiceInstance instance, String outcome, long nanos) {
	}

	/** A request is tried again on another instance. */
	default void retry(String service, String reason) {
	}

	/** An instance is ejected for refusing a connection. */
	default void ejected(ServiceInstance instance) {
	}

	/**
	 * A service's instances are now {@code present}: what is kept for any other of its instances
	 * (they left the registry) may be dropped.
	 */
	default void retainOnly(String service, Collection<ServiceInstance> present) {
	}

	/** One listener that tells all of {@code listeners}. */
	static LoadBalancerMetrics all(java.util.List<LoadBalancerMetrics> listeners) {
		return new LoadBalancerMetrics() {

			@Override
			public void attempt(ServiceInstance instance, String outcome, long nanos) {
				listeners.forEach((each) -> each.attempt(instance, outcome, nanos));
			}

			@Override
			public void retry(String service, String reason) {
				listeners.forEach((each) -> each.retry(service, reason));
			}

			@Override
			public void ejected(ServiceInstance instance) {
				listeners.forEach((each) -> each.ejected(instance));
			}

			@Override
			public void retainOnly(String service, Collection<ServiceInstance> present) {
				listeners.forEach((each) -> each.retainOnly(service, present));
			}

		};
	}

}
