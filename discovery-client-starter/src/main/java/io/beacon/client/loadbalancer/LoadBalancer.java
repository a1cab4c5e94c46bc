package io.beacon.client.loadbalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.client.ServiceInstance;

/**
 * Chooses an instance among a service's UP instances: skips the ones ejected or already tried for
 * this request, then asks the service's strategy.
 */
public final class LoadBalancer {

	private final LoadBalancerStrategy defaultStrategy;

	private final Map<String, LoadBalancerStrategy> strategies;

	private final InstanceStates states = new InstanceStates();

	private final InFlightRequests inFlight = new InFlightRequests(this.states);

	private final Ejections ejections;

	private final Duration ejection;

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
		this.ejection = ejection;
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

	/**
	 * Marks a request to an instance as started.
	 * @return the handle to mark it finished with
	 */
	public Attempt started(ServiceInstance instance) {
		InstanceStates.State state = this.states.get(instance);
		state.started();
		return new Attempt(state);
	}

	/** Skips an instance that refused a connection for the ejection period. */
	public void eject(ServiceInstance instance) {
		this.ejections.eject(instance, this.ejection);
		this.states.get(instance).ejected();
	}

	/**
	 * Forgets what is counted for a service's instances that are not in {@code present} (they left
	 * the registry), so that the counts do not grow as instances come and go.
	 */
	public void retainOnly(String service, Collection<ServiceInstance> present) {
		this.states.retainOnly(service, present);
		this.ejections.retainOnly(service, present);
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
		return this.states.snapshot();
	}

	/**
	 * Request counts of one instance.
	 */
	public interface InstanceStats {

		long requests();

		long failures();

		long ejections();

	}

	/**
	 * A request under way to one instance. It ends once: whichever of finished or abandoned comes
	 * first counts, later calls are ignored.
	 */
	public static final class Attempt {

		private final InstanceStates.State state;

		private final AtomicBoolean ended = new AtomicBoolean();

		private Attempt(InstanceStates.State state) {
			this.state = state;
		}

		/** Marks it finished, failed or not. */
		public void finished(boolean failed) {
			if (this.ended.compareAndSet(false, true)) {
				this.state.finished(failed);
			}
		}

		/** Marks it given up by the caller (cancelled) before it finished: not a failure of the instance. */
		public void abandoned() {
			finished(false);
		}

	}

}
