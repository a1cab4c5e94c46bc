package io.beacon.client.loadbalancer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.client.ServiceInstance;

/**
 * Requests in flight to each instance, counted by the load-balancing filter.
 */
public final class InFlightRequests {

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	public int count(ServiceInstance instance) {
		AtomicInteger count = this.counts.get(key(instance));
		return (count != null) ? count.get() : 0;
	}

	void started(ServiceInstance instance) {
		this.counts.computeIfAbsent(key(instance), (key) -> new AtomicInteger()).incrementAndGet();
	}

	void finished(ServiceInstance instance) {
		AtomicInteger count = this.counts.get(key(instance));
		if (count != null) {
			count.decrementAndGet();
		}
	}

	static String key(ServiceInstance instance) {
		return instance.service() + "/" + instance.instanceId();
	}

}
