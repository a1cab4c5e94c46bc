package io.beacon.registry.api;

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
 * One watch stream: takes items from the registry without blocking it, as SSE frames that wait in
 * a buffer until the connection asks for them. If a watcher falls more than {@code maxPending} changes
 * behind, its stream is closed rather than buffered without bound; it reconnects with
 * {@code Last-Event-ID} and resumes from the change log.
 */
final class WatchSession implements WatchListener {

	private static final Logger logger = LoggerFactory.getLogger(WatchSession.class);

	private final WatchEvents encoder;

	private final WatchMetrics metrics;

	private final int maxPending;

	/** Frames put into the stream, and frames its consumer asked for: the difference waits in a buffer. */
	private final AtomicLong emitted = new AtomicLong();

	private final AtomicLong requested = new AtomicLong();

	private volatile FluxSink<byte[]> sink;

	/** Fails the stream at once on overflow, dropping whatever is still buffered for it. */
	private final Sinks.Empty<byte[]> overflow = Sinks.empty();

	private volatile boolean cutOff;

	/** How many frames the start had (a snapshot, or a replay); they go out before any live change. */
	private volatile long startFrames;

	private WatchSession(WatchEvents encoder, WatchMetrics metrics, int maxPending) {
		this.encoder = encoder;
		this.metrics = metrics;
		this.maxPending = maxPending;
	}

	/**
	 * The frames of a new watch stream; the watch opens when the stream is subscribed and closes
	 * when it ends for any reason.
	 */
	static Flux<byte[]> open(Registry registry, Set<String> services, OptionalLong lastEventId, WatchEvents encoder,
			WatchMetrics metrics, int maxPending) {
		return open(registry, services, lastEventId, encoder, metrics, maxPending, Flux.empty());
	}

	/**
	 * The frames of a new watch stream, with {@code keepAlives} merged in. One merge for the changes,
	 * the overflow signal and the keep-alives keeps a stream's share of the heap small: each merge
	 * holds its own queues for every open stream.
	 */
	static Flux<byte[]> open(Registry registry, Set<String> services, OptionalLong lastEventId, WatchEvents encoder,
			WatchMetrics metrics, int maxPending, Flux<byte[]> keepAlives) {
		WatchSession session = new WatchSession(encoder, metrics, maxPending);
		// Items are encoded as they are offered (a change is encoded once for all its watchers, see
		// WatchEvents), so no operator between here and the socket holds a queue of its own per stream.
		Flux<byte[]> frames = Flux.create((sink) -> {
			session.sink = sink;
			sink.onRequest((n) -> session.requested.accumulateAndGet(n, WatchSession::addCapped));
			Watch watch = registry.watch(services, lastEventId, session);
			sink.onDispose(watch::close);
		}, FluxSink.OverflowStrategy.BUFFER);
		return Flux.merge(frames, session.overflow.asMono(), keepAlives)
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
		List<byte[]> frames = encode(start);
		this.startFrames = frames.size();
		this.emitted.addAndGet(frames.size());
		for (byte[] frame : frames) {
			this.sink.next(frame);
		}
	}

	@Override
	public void onChange(ChangeEvent event) {
		if (this.cutOff) {
			return;
		}
		long emittedNow = this.emitted.incrementAndGet();
		// Frames go out in order, the start's first, so of what waits only the live changes count
		// as falling behind: a long replay (bounded by the change log) is not a slow watcher.
		long backlog = Math.min(emittedNow - this.requested.get(), emittedNow - this.startFrames);
		if (backlog > this.maxPending) {
			this.cutOff = true;
			this.overflow.tryEmitError(new SlowWatcherException());
			return;
		}
		this.metrics.eventsSent().increment();
		this.sink.next(this.encoder.change(event));
	}

	private List<byte[]> encode(WatchStart item) {
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
