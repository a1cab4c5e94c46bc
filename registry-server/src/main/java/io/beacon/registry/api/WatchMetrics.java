package io.beacon.registry.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters of the watch channel that only the web layer can count.
 *
 * @param eventsSent SSE events written to watch streams (one per stream per change)
 * @param overflows watch streams closed because the watcher fell too far behind
 */
record WatchMetrics(Counter eventsSent, Counter overflows) {

	static WatchMetrics of(MeterRegistry meters) {
		return new WatchMetrics(
				Counter.builder("beacon.registry.watch.events.sent")
					.description("Events written to watch streams, one per stream per change")
					.register(meters),
				Counter.builder("beacon.registry.watch.overflows")
					.description("Watch streams closed because the watcher fell too far behind")
					.register(meters));
	}

}
