package io.beacon.registry.web;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * API latency: one timer per endpoint and status, found by array index on the hot path.
 */
final class ApiMetrics {

	private static final int STATUS_SLOTS = 600;

	private final MeterRegistry meters;

	private final AtomicReferenceArray<Timer> timers;

	ApiMetrics(MeterRegistry meters) {
		this.meters = meters;
		this.timers = new AtomicReferenceArray<>(ApiDispatcher.Endpoint.values().length * STATUS_SLOTS);
	}

	void record(ApiDispatcher.Endpoint endpoint, int status, long nanos) {
		int slot = endpoint.ordinal() * STATUS_SLOTS + Math.floorMod(status, STATUS_SLOTS);
		Timer timer = this.timers.get(slot);
		if (timer == null) {
			timer = Timer.builder("beacon.registry.api.requests")
				.description("API requests by endpoint and status: time to the response, or to the start of a stream")
				.tag("endpoint", endpoint.tagValue())
				.tag("method", endpoint.method())
				.tag("status", Integer.toString(status))
				.publishPercentileHistogram()
				.register(this.meters);
			this.timers.set(slot, timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

}
