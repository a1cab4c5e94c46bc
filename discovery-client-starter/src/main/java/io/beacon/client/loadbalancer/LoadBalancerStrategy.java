package io.beacon.client.loadbalancer;

import java.util.List;

import io.beacon.client.ServiceInstance;

/**
 * Chooses one instance for a request. Implementations must be thread-safe and fast: this runs on
 * every request. Declare one as a bean and name it in {@code beacon.client.load-balancer.strategy}
 * (globally) or {@code beacon.client.load-balancer.services.<service>.strategy}.
 */
@FunctionalInterface
public interface LoadBalancerStrategy {

	/**
	 * @param service the service called
	 * @param candidates the UP instances that may be chosen, never empty
	 * @param inFlight the requests in flight to each instance, as counted by the load balancer
	 * @return one of the candidates
	 */
	ServiceInstance choose(String service, List<ServiceInstance> candidates, InFlightRequests inFlight);

}
