package io.beacon.client.loadbalancer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.client.ServiceInstance;

/**
 * Takes the candidates in turn, per service. The counter may overflow: the position is taken
 * modulo the number of candidates with {@link Math#floorMod}, which stays non-negative.
 */
public final class RoundRobinStrategy implements LoadBalancerStrategy {

	private final Map<String, AtomicInteger> positions = new ConcurrentHashMap<>();

	@Override
	public ServiceInstance choose(String service, List<ServiceInstance> candidates, InFlightRequests inFlight) {
		AtomicInteger position = this.positions.get(service);
		if (position == null) {
			position = this.positions.computeIfAbsent(service, (key) -> new AtomicInteger());
		}
		return candidates.get(Math.floorMod(position.getAndIncrement(), candidates.size()));
	}

	/** Starts a service's rotation at a given position (for tests of the overflow). */
	void position(String service, int value) {
		this.positions.computeIfAbsent(service, (key) -> new AtomicInteger()).set(value);
	}

}
