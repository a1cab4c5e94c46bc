package io.beacon.registry.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.ChangeType;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.core.Watch;
import io.beacon.registry.core.WatchListener;
import io.beacon.registry.core.WatchStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the liveness of instances to their open lease streams, in this replica only. When the last
 * stream of an instance closes and none is opened again within the grace, the store is told the
 * connection is lost (the instance turns DOWN). A stream ends from this side when its instance is
 * removed (deregistered or evicted, through any replica), which is not a loss.
 * <p>
 * Flapping: past the {@link FlapLimit}, losses are only counted and logged; the lease TTL still
 * applies.
 * <p>
 * Every change to an instance's binding happens inside the map's {@code compute} for its key, so
 * opens, closes and timers of one instance never interleave. The grace timers run on the
 * registry's scheduler thread; a process that is stopping has no scheduler, so the streams it
 * closes on its way down mark nobody DOWN (the clients reconnect to another replica, or to this
 * one when it is back, and that open is a heartbeat).
 */
final class LeaseBindings implements WatchListener {

	private static final Logger logger = LoggerFactory.getLogger(LeaseBindings.class);

	/** Runs an action once after a delay; {@code null} when it cannot (the process is stopping). */
	@FunctionalInterface
	interface Timer {

		Future<?> runOnce(Duration delay, Runnable action);

	}

	private final RegistryStore registry;

	private final Timer timer;

	private final Duration grace;

	private final FlapLimit flapLimit;

	private final LeaseStreamMetrics metrics;

	private final Map<String, Binding> bindings = new ConcurrentHashMap<>();

	private final AtomicInteger openStreams = new AtomicInteger();

	private final Object watchLock = new Object();

	/** Set once every stream was ended for shutdown: a stream opened later ends at once. */
	private volatile boolean ended;

	/** The watch that tells which instances were removed; opened with the first stream. */
	private volatile Watch removals;

	LeaseBindings(RegistryStore registry, Timer timer, Ticker ticker, Duration grace, int flapLimit,
			Duration flapWindow, LeaseStreamMetrics metrics) {
		this.registry = registry;
		this.timer = timer;
		this.grace = grace;
		this.flapLimit = new FlapLimit(flapLimit, flapWindow, ticker, metrics.flapsSuppressed());
		this.metrics = metrics;
	}

	/** How long a closed stream may stay closed before the instance counts as lost. */
	Duration grace() {
		return this.grace;
	}

	/** Lease streams open now. */
	int openStreams() {
		return this.openStreams.get();
	}

	/**
	 * A stream for the instance is being opened and its heartbeat was accepted: a loss waiting for
	 * the grace to pass is called off at once.
	 */
	void opening(String service, String instanceId) {
		this.bindings.computeIfPresent(key(service, instanceId), (key, binding) -> {
			binding.cancelPendingLoss();
			return binding;
		});
	}

	/**
	 * Binds an open stream to its instance.
	 * @param end ends the stream (its instance was removed); must not block
	 */
	Stream attach(String service, String instanceId, Runnable end) {
		watchRemovals();
		Stream stream = new Stream(end);
		this.bindings.compute(key(service, instanceId), (key, existing) -> {
			Binding binding = (existing != null) ? existing : new Binding(service, instanceId);
			binding.cancelPendingLoss();
			binding.streams.add(stream);
			stream.binding = binding;
			return binding;
		});
		this.openStreams.incrementAndGet();
		return stream;
	}

	/**
	 * Ends the stream when its instance is gone already (removed before the removal watch could
	 * tell), or when the process is stopping.
	 */
	void endIfGone(Stream stream) {
		Binding binding = stream.binding;
		if (this.ended || this.registry.instance(binding.service, binding.instanceId).isEmpty()) {
			stream.end();
		}
	}

	/**
	 * A stream closed. Unless this side ended it, and when it was the instance's last, the loss is
	 * reported once the grace has passed without a new stream.
	 */
	void detach(Stream stream) {
		this.openStreams.decrementAndGet();
		Binding binding = stream.binding;
		this.bindings.computeIfPresent(binding.key(), (key, current) -> {
			if (current != binding) {
				return current;
			}
			binding.streams.remove(stream);
			if (!stream.ended && binding.streams.isEmpty()) {
				long generation = ++binding.lossGeneration;
				binding.pendingLoss = this.timer.runOnce(this.grace, () -> graceOver(binding, generation));
			}
			return binding.idle() ? null : binding;
		});
	}

	private void graceOver(Binding binding, long generation) {
		boolean[] report = { false };
		this.bindings.computeIfPresent(binding.key(), (key, current) -> {
			if (current != binding || binding.pendingLoss == null || binding.lossGeneration != generation
					|| !binding.streams.isEmpty()) {
				// reopened, or the instance was removed, since this timer was set
				return current;
			}
			binding.pendingLoss = null;
			this.metrics.connectionsLost().increment();
			if (binding.losses == null) {
				binding.losses = this.flapLimit.losses();
			}
			report[0] = !binding.losses.tooMany(key);
			return binding;
		});
		if (!report[0]) {
			return;
		}
		try {
			this.registry.connectionLost(binding.service, binding.instanceId);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not mark {} DOWN after its lease stream closed ({}); its lease TTL still applies",
					binding.key(), ex.getMessage());
		}
	}

	private void watchRemovals() {
		if (this.removals != null) {
			return;
		}
		synchronized (this.watchLock) {
			if (this.removals == null) {
				// From the current index: only removals from now on matter.
				this.removals = this.registry.watch(Set.of(), OptionalLong.of(this.registry.index()), this);
			}
		}
	}

	@Override
	public void onStart(WatchStart start) {
		// Only removals from now on matter.
	}

	/** An instance was removed: its streams end (not a loss), and what was kept for it goes. */
	@Override
	public void onChange(ChangeEvent event) {
		if (event.cause().type() != ChangeType.DEREGISTERED) {
			return;
		}
		end(this.bindings.remove(key(event.service(), event.instance().instanceId())));
	}

	/** Ends the streams of a binding just removed from the map (nobody else changes it from then on). */
	private static void end(Binding binding) {
		if (binding == null) {
			return;
		}
		binding.cancelPendingLoss();
		for (Stream stream : new ArrayList<>(binding.streams)) {
			stream.end();
		}
	}

	/**
	 * Ends every open stream, which is no loss: the process is stopping, and its clients reconnect
	 * (to another replica, or to this one when it is back). Without this, graceful shutdown would
	 * wait for streams that never end by themselves.
	 */
	void endAll() {
		this.ended = true;
		for (String key : List.copyOf(this.bindings.keySet())) {
			end(this.bindings.remove(key));
		}
	}

	/** Stops following removals (tests; the process's store goes with the process otherwise). */
	void close() {
		Watch watch = this.removals;
		if (watch != null) {
			watch.close();
		}
	}

	private static String key(String service, String instanceId) {
		return service + "/" + instanceId;
	}

	/**
	 * One open lease stream.
	 */
	static final class Stream {

		private final Runnable end;

		private Binding binding;

		/** Set when this side ended the stream: its close is then no loss. */
		private volatile boolean ended;

		private Stream(Runnable end) {
			this.end = end;
		}

		private void end() {
			this.ended = true;
			this.end.run();
		}

	}

	/**
	 * What is kept for one instance with a lease stream: its open streams, the loss waiting for
	 * the grace to pass, and its recent losses (for the flap limit). Changed only inside the
	 * bindings map's compute for its key.
	 */
	private static final class Binding {

		private final String service;

		private final String instanceId;

		private final List<Stream> streams = new ArrayList<>(1);

		private Future<?> pendingLoss;

		/** Bumped for every grace timer, so a timer that fires late knows it was superseded. */
		private long lossGeneration;

		/** Its recent losses, once it had one (for the flap limit). */
		private FlapLimit.Losses losses;

		private Binding(String service, String instanceId) {
			this.service = service;
			this.instanceId = instanceId;
		}

		private String key() {
			return LeaseBindings.key(this.service, this.instanceId);
		}

		private void cancelPendingLoss() {
			if (this.pendingLoss != null) {
				this.pendingLoss.cancel(false);
				this.pendingLoss = null;
			}
		}

		/** Nothing left to keep: no stream, no loss pending, no loss ever (its history goes with the instance). */
		private boolean idle() {
			return this.streams.isEmpty() && this.pendingLoss == null && this.losses == null;
		}

	}

}
