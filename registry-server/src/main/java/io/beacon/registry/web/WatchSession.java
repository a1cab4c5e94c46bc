package io.beacon.registry.web;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Watch;
import io.beacon.registry.core.WatchListener;
import io.beacon.registry.core.WatchStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Sinks;

/**
 * One watch stream: takes items from the registry without blocking it, and turns them into SSE
 * frames as the connection asks for them. If a watcher falls more than {@code maxPending} changes
 * behind, its stream is closed rather than buffered without bound; it reconnects with
 * {@code Last-Event-ID} and resumes from the change log.
 */
final class WatchSession implements WatchListener {

	private static final Logger logger = LoggerFactory.getLogger(WatchSession.class);

	private final SseEncoder encoder;

	private final WatchMetrics metrics;

	private final int maxPending;

	/** Items put into the stream, and items its consumer asked for: the difference waits in a buffer. */
	private final AtomicLong emitted = new AtomicLong();

	private final AtomicLong requested = new AtomicLong();

	private volatile FluxSink<Object> sink;

	/** Fails the stream at once on overflow, dropping whatever is still buffered for it. */
	private final Sinks.Empty<byte[]> overflow = Sinks.empty();

	private volatile boolean cutOff;

	private WatchSession(SseEncoder encoder, WatchMetrics metrics, int maxPending) {
		this.encoder = encoder;
		this.metrics = metrics;
		this.maxPending = maxPending;
	}

	/**
	 * The frames of a new watch stream; the watch opens when the stream is subscribed and closes
	 * when it ends for any reason.
	 */
	static Flux<byte[]> open(Registry registry, Set<String> services, OptionalLong lastEventId, SseEncoder encoder,
			WatchMetrics metrics, int maxPending) {
		WatchSession session = new WatchSession(encoder, metrics, maxPending);
		Flux<Object> items = Flux.create((sink) -> {
			session.sink = sink;
			sink.onRequest((n) -> session.requested.accumulateAndGet(n, WatchSession::addCapped));
			Watch watch = registry.watch(services, lastEventId, session);
			sink.onDispose(watch::close);
		}, FluxSink.OverflowStrategy.BUFFER);
		return Flux.merge(items.concatMapIterable(session::encode), session.overflow.asMono())
			.doOnError(SlowWatcherException.class, (ex) -> {
				metrics.overflows().increment();
				logger.info("Closed a watch stream that fell more than {} changes behind", maxPending);
			});
	}

	private static long addCapped(long a, long b) {
		long sum = a + b;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

	@Override
	public void onStart(WatchStart start) {
		this.emitted.incrementAndGet();
		this.sink.next(start);
	}

	@Override
	public void onChange(ChangeEvent event) {
		if (this.cutOff) {
			return;
		}
		long backlog = this.emitted.incrementAndGet() - this.requested.get();
		if (backlog > this.maxPending) {
			this.cutOff = true;
			this.overflow.tryEmitError(new SlowWatcherException());
			return;
		}
		this.sink.next(event);
	}

	private List<byte[]> encode(Object item) {
		if (item instanceof ChangeEvent event) {
			this.metrics.eventsSent().increment();
			return List.of(this.encoder.change(event));
		}
		if (item instanceof WatchStart.Snapshot snapshot) {
			this.metrics.eventsSent().increment();
			return List.of(this.encoder.snapshot(snapshot));
		}
		WatchStart.Replay replay = (WatchStart.Replay) item;
		List<byte[]> frames = new ArrayList<>(replay.changes().size() + 1);
		frames.add(this.encoder.resumed(replay.index()));
		for (ChangeEvent event : replay.changes()) {
			frames.add(this.encoder.change(event));
		}
		this.metrics.eventsSent().increment(replay.changes().size());
		return frames;
	}

	static final class SlowWatcherException extends RuntimeException {

		SlowWatcherException() {
			super("watcher fell too far behind", null, false, false);
		}

	}

}
