package io.beacon.registry.http;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * API latency: one timer per route and status, found by array index on the hot path.
 */
final class ApiMetrics {

	/** The slot of requests that matched no route. */
	static final int UNMATCHED = -1;

	private static final int STATUS_SLOTS = 600;

	private final MeterRegistry meters;

	private final String[] names;

	private final String[] methods;

	private final AtomicReferenceArray<Timer> timers;

	ApiMetrics(MeterRegistry meters, List<Route> routes) {
		this.meters = meters;
		int endpoints = routes.size() + 1;
		this.names = new String[endpoints];
		this.methods = new String[endpoints];
		for (int i = 0; i < routes.size(); i++) {
			this.names[i] = routes.get(i).name();
			this.methods[i] = routes.get(i).method();
		}
		this.names[endpoints - 1] = "unmatched";
		this.methods[endpoints - 1] = "*";
		this.timers = new AtomicReferenceArray<>(endpoints * STATUS_SLOTS);
	}

	/**
	 * @param endpoint the route's position in the table, or {@link #UNMATCHED}
	 */
	void record(int endpoint, int status, long nanos) {
		int row = (endpoint == UNMATCHED) ? this.names.length - 1 : endpoint;
		int slot = row * STATUS_SLOTS + Math.floorMod(status, STATUS_SLOTS);
		Timer timer = this.timers.get(slot);
		if (timer == null) {
			timer = Timer.builder("beacon.registry.api.requests")
				.description("API requests by endpoint and status: time to the response, or to the start of a stream")
				.tag("endpoint", this.names[row])
				.tag("method", this.methods[row])
				.tag("status", Integer.toString(status))
				.publishPercentileHistogram()
				.register(this.meters);
			this.timers.set(slot, timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

}
