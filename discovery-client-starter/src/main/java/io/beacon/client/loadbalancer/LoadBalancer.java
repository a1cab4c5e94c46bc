package io.beacon.client.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.beacon.client.ServiceInstance;

/**
 * Chooses an instance among a service's UP instances: skips the ones ejected or already tried for
 * this request, then asks the service's strategy.
 */
public final class LoadBalancer {

	private final LoadBalancerStrategy defaultStrategy;

	private final Map<String, LoadBalancerStrategy> strategies;

	private final InFlightRequests inFlight = new InFlightRequests();

	private final Ejections ejections;

	private final long ejectionNanos;

	private final Map<String, InstanceStats> stats = new ConcurrentHashMap<>();

	/**
	 * @param defaultStrategy the strategy for services without one of their own
	 * @param strategies strategies by service
	 * @param ejections the ejected instances
	 * @param ejection how long an instance that refused a connection is skipped
	 */
	public LoadBalancer(LoadBalancerStrategy defaultStrategy, Map<String, LoadBalancerStrategy> strategies,
			Ejections ejections, Duration ejection) {
		this.defaultStrategy = defaultStrategy;
		this.strategies = Map.copyOf(strategies);
		this.ejections = ejections;
		this.ejectionNanos = ejection.toNanos();
	}

	/**
	 * @param up the service's UP instances
	 * @param tried instances already tried for this request (skipped)
	 * @return the chosen instance, or {@code null} when there is none to choose
	 */
	public ServiceInstance choose(String service, List<ServiceInstance> up, Set<ServiceInstance> tried) {
		List<ServiceInstance> candidates = up;
		if (!tried.isEmpty() || !this.ejections.isEmpty()) {
			candidates = filter(up, tried, true);
			if (candidates.isEmpty()) {
				// Every instance not yet tried is ejected: better to try one than to fail outright.
				candidates = filter(up, tried, false);
			}
		}
		if (candidates.isEmpty()) {
			return null;
		}
		LoadBalancerStrategy strategy = this.strategies.getOrDefault(service, this.defaultStrategy);
		return strategy.choose(service, candidates, this.inFlight);
	}

	private List<ServiceInstance> filter(List<ServiceInstance> up, Set<ServiceInstance> tried, boolean skipEjected) {
		List<ServiceInstance> candidates = new ArrayList<>(up.size());
		for (ServiceInstance instance : up) {
			if (!tried.contains(instance) && !(skipEjected && this.ejections.isEjected(instance))) {
				candidates.add(instance);
			}
		}
		return candidates;
	}

	/** Marks a request to an instance as started. */
	public void started(ServiceInstance instance) {
		this.inFlight.started(instance);
		stats(instance).requests.increment();
	}

	/** Marks a request to an instance as finished, failed or not. */
	public void finished(ServiceInstance instance, boolean failed) {
		this.inFlight.finished(instance);
		if (failed) {
			stats(instance).failures.increment();
		}
	}

	/** Skips an instance that refused a connection for the ejection period. */
	public void eject(ServiceInstance instance) {
		this.ejections.eject(instance, this.ejectionNanos);
		stats(instance).ejections.increment();
	}

	public InFlightRequests inFlight() {
		return this.inFlight;
	}

	public Ejections ejections() {
		return this.ejections;
	}

	public LoadBalancerStrategy strategyFor(String service) {
		return this.strategies.getOrDefault(service, this.defaultStrategy);
	}

	/** Figures per instance, by "service/instanceId". */
	public Map<String, InstanceStats> stats() {
		return Map.copyOf(this.stats);
	}

	private InstanceStats stats(ServiceInstance instance) {
		String key = InFlightRequests.key(instance);
		InstanceStats found = this.stats.get(key);
		return (found != null) ? found : this.stats.computeIfAbsent(key, (k) -> new InstanceStats());
	}

	/**
	 * Request counts of one instance.
	 */
	public static final class InstanceStats {

		private final LongAdder requests = new LongAdder();

		private final LongAdder failures = new LongAdder();

		private final LongAdder ejections = new LongAdder();

		public long requests() {
			return this.requests.sum();
		}

		public long failures() {
			return this.failures.sum();
		}

		public long ejections() {
			return this.ejections.sum();
		}

	}

}
