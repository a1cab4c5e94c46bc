package io.beacon.client.loadbalancer;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.beacon.client.ServiceInstance;

/**
 * Picks a candidate uniformly at random.
 */
public final class RandomStrategy implements LoadBalancerStrategy {

	@Override
	public ServiceInstance choose(String service, List<ServiceInstance> candidates, InFlightRequests inFlight) {
		return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
	}

}
