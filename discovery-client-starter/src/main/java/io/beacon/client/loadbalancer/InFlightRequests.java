package io.beacon.client.loadbalancer;

import io.beacon.client.ServiceInstance;

/**
 * Requests in flight to each instance, counted by the load-balancing filter.
 */
public final class InFlightRequests {

	private final InstanceStates states;

	InFlightRequests(InstanceStates states) {
		this.states = states;
	}

	public int count(ServiceInstance instance) {
		InstanceStates.State state = this.states.find(instance);
		return (state != null) ? state.inFlight() : 0;
	}

}
