package io.beacon.registry.api;

import java.time.Duration;

import io.beacon.registry.http.SseFrames;
import reactor.core.publisher.Flux;

/**
 * Keep-alive comments for watch streams, from one timer shared by every stream rather than one
 * per stream. Each stream drops the ticks it has no room for: a shared publisher emits only while
 * every subscriber has demand, so one stalled stream would otherwise stop keep-alives for all.
 */
final class KeepAlives {

	private final Duration interval;

	private final Flux<Long> ticks;

	KeepAlives(Duration interval) {
		this.interval = interval;
		this.ticks = Flux.interval(interval, interval).onBackpressureDrop().share();
	}

	/** How often a stream gets a keep-alive. */
	Duration interval() {
		return this.interval;
	}

	/** The keep-alive frames of one stream. */
	Flux<byte[]> forStream() {
		return this.ticks.onBackpressureDrop().map((tick) -> SseFrames.keepAlive());
	}

}
