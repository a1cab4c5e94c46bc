package io.beacon.client.loadbalancer;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.beacon.client.ServiceInstance;

/**
 * Picks the candidate with the fewest requests in flight from this client; ties are broken by
 * starting the scan at a random candidate, so idle instances share the load.
 */
public final class LeastOutstandingStrategy implements LoadBalancerStrategy {

	@Override
	public ServiceInstance choose(String service, List<ServiceInstance> candidates, InFlightRequests inFlight) {
		int size = candidates.size();
		int start = (size > 1) ? ThreadLocalRandom.current().nextInt(size) : 0;
		ServiceInstance best = null;
		int fewest = Integer.MAX_VALUE;
		for (int i = 0; i < size; i++) {
			ServiceInstance candidate = candidates.get((start + i) % size);
			int count = inFlight.count(candidate);
			if (count < fewest) {
				best = candidate;
				fewest = count;
			}
		}
		return best;
	}

}
