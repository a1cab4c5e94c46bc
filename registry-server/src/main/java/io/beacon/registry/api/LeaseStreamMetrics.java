package io.beacon.registry.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters of the lease streams.
 *
 * @param connectionsLost lease streams that closed and were not reopened within the grace while
 * their instance was registered (each one marked it DOWN unless it was suppressed as a flap)
 * @param flapsSuppressed connection losses not marked DOWN because the instance was flapping
 */
record LeaseStreamMetrics(Counter connectionsLost, Counter flapsSuppressed) {

	static LeaseStreamMetrics of(MeterRegistry meters) {
		return new LeaseStreamMetrics(
				Counter.builder("beacon.registry.lease.connections.lost")
					.description("Lease streams closed and not reopened within the connection grace")
					.register(meters),
				Counter.builder("beacon.registry.lease.flaps.suppressed")
					.description("Connection losses not marked DOWN because the instance was flapping")
					.register(meters));
	}

	/** Registers the gauge of the lease streams open now. */
	static void gaugeOpenStreams(MeterRegistry meters, LeaseBindings bindings) {
		Gauge.builder("beacon.registry.lease.streams", bindings, LeaseBindings::openStreams)
			.description("Open lease streams")
			.register(meters);
	}

}
