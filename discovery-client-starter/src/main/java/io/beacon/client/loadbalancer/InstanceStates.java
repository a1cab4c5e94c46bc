package io.beacon.client.loadbalancer;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.beacon.client.ServiceInstance;

/**
 * What the load balancer counts per instance, found by service and instance id without building a
 * key on every request.
 */
final class InstanceStates {

	private final Map<String, Map<String, State>> byService = new ConcurrentHashMap<>();

	State find(ServiceInstance instance) {
		Map<String, State> states = this.byService.get(instance.service());
		return (states != null) ? states.get(instance.instanceId()) : null;
	}

	State get(ServiceInstance instance) {
		State state = find(instance);
		if (state != null) {
			return state;
		}
		return this.byService.computeIfAbsent(instance.service(), (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(instance.instanceId(), (key) -> new State());
	}

	/**
	 * Forgets the states of a service's instances that are not in {@code present}. A request still in
	 * flight to a forgotten instance finishes on its own state, no longer listed.
	 */
	void retainOnly(String service, Collection<ServiceInstance> present) {
		Map<String, State> states = this.byService.get(service);
		if (states == null) {
			return;
		}
		Set<String> keep = new HashSet<>();
		present.forEach((instance) -> keep.add(instance.instanceId()));
		states.keySet().retainAll(keep);
	}

	/** Every state, by "service/instanceId". */
	Map<String, LoadBalancer.InstanceStats> snapshot() {
		Map<String, LoadBalancer.InstanceStats> all = new HashMap<>();
		this.byService.forEach((service, states) -> states
			.forEach((id, state) -> all.put(service + "/" + id, state)));
		return all;
	}

	/**
	 * One instance's counters.
	 */
	static final class State implements LoadBalancer.InstanceStats {

		private final AtomicInteger inFlight = new AtomicInteger();

		private final LongAdder requests = new LongAdder();

		private final LongAdder failures = new LongAdder();

		private final LongAdder ejections = new LongAdder();

		int inFlight() {
			return this.inFlight.get();
		}

		void started() {
			this.inFlight.incrementAndGet();
			this.requests.increment();
		}

		void finished(boolean failed) {
			this.inFlight.decrementAndGet();
			if (failed) {
				this.failures.increment();
			}
		}

		void ejected() {
			this.ejections.increment();
		}

		@Override
		public long requests() {
			return this.requests.sum();
		}

		@Override
		public long failures() {
			return this.failures.sum();
		}

		@Override
		public long ejections() {
			return this.ejections.sum();
		}

	}

}
