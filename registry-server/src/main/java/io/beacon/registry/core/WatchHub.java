package io.beacon.registry.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The watch side of a store, the same for the memory {@link Registry} and a {@link ReplicaView}:
 * opens watches (a start, then live changes with nothing missed or repeated in between), builds
 * snapshots and hands changes to the {@link ChangeFeed}. The store calls it under its own lock,
 * which is what keeps a watch's start and its first live change in order.
 */
final class WatchHub {

	/** What a snapshot is read from: the store's current state, under its lock. */
	interface State {

		/** The names of the services with at least one instance. */
		Iterable<String> serviceNames();

		/** Every instance of a service, any status, ordered by id. */
		List<Instance> instances(String service);

	}

	private final ChangeFeed feed = new ChangeFeed();

	private final String registryId;

	WatchHub(String registryId) {
		this.registryId = registryId;
	}

	/** Whether a change is of one of the watched services (all when none is named). */
	static Predicate<ChangeEvent> wanted(Set<String> watched) {
		return (event) -> watched.isEmpty() || watched.contains(event.service());
	}

	/**
	 * Under the store's lock: opens a watch at index {@code now}, started with the changes it
	 * missed, or with a snapshot when {@code missed} is null (they are not known).
	 */
	Watch open(Set<String> watched, long now, List<ChangeEvent> missed, State state, WatchListener listener) {
		listener.onStart((missed != null) ? new WatchStart.Replay(now, missed) : snapshot(watched, now, state));
		ChangeFeed.Subscriber subscriber = this.feed.subscribe(watched, now, listener);
		return () -> this.feed.unsubscribe(subscriber);
	}

	/**
	 * Under the store's lock: opens a watch at index {@code now} whose start is found later (read
	 * from elsewhere); live changes wait for it in the returned start.
	 */
	DeferredStart openDeferred(Set<String> watched, long now, WatchListener listener) {
		DeferredStart start = new DeferredStart(listener);
		ChangeFeed.Subscriber subscriber = this.feed.subscribe(watched, now, start);
		start.watch = () -> this.feed.unsubscribe(subscriber);
		return start;
	}

	/** Under the store's lock, so the snapshot is exactly the state at {@code at}. */
	WatchStart.Snapshot snapshot(Set<String> watched, long at, State state) {
		Map<String, List<Instance>> result = new TreeMap<>();
		Iterable<String> names = watched.isEmpty() ? state.serviceNames() : watched;
		for (String name : names) {
			List<Instance> instances = state.instances(name);
			if (!instances.isEmpty() || !watched.isEmpty()) {
				result.put(name, instances);
			}
		}
		return new WatchStart.Snapshot(at, this.registryId, result);
	}

	/** A snapshot of every service cut to the watched ones (every watched one present). */
	static WatchStart.Snapshot cut(WatchStart.Snapshot everything, Set<String> watched) {
		if (watched.isEmpty()) {
			return everything;
		}
		Map<String, List<Instance>> result = new TreeMap<>();
		for (String name : watched) {
			result.put(name, everything.services().getOrDefault(name, List.of()));
		}
		return new WatchStart.Snapshot(everything.index(), everything.registryId(), result);
	}

	/** Under the store's lock, in index order. */
	void publish(ChangeEvent event) {
		this.feed.enqueue(event);
	}

	/**
	 * Under the store's lock: every open watch starts anew from the state at {@code at} (the store
	 * lost track of the single changes that led there).
	 */
	void reset(long at, State state) {
		this.feed.enqueueReset(snapshot(Set.of(), at, state));
	}

	/** Outside the store's lock: delivers what was published. */
	void drain() {
		this.feed.drain();
	}

	int openWatches() {
		return this.feed.openWatches();
	}

	/**
	 * A watch whose start comes after its subscription: live changes wait here until it does,
	 * then go out after it, those the start already covers left out.
	 */
	static final class DeferredStart implements WatchListener {

		private final WatchListener listener;

		private final List<ChangeEvent> waiting = new ArrayList<>();

		private Watch watch;

		private long startIndex = -1;

		private DeferredStart(WatchListener listener) {
			this.listener = listener;
		}

		/** Closes the watch. */
		Watch watch() {
			return this.watch;
		}

		/** Gives the watch its start, unless it already has one (a reset came first). */
		synchronized void start(WatchStart start) {
			if (this.startIndex >= 0) {
				return;
			}
			onStart(start);
		}

		synchronized boolean started() {
			return this.startIndex >= 0;
		}

		@Override
		public synchronized void onStart(WatchStart start) {
			this.startIndex = start.index();
			this.listener.onStart(start);
			for (ChangeEvent event : this.waiting) {
				onChange(event);
			}
			this.waiting.clear();
		}

		@Override
		public synchronized void onChange(ChangeEvent event) {
			if (this.startIndex < 0) {
				this.waiting.add(event);
			}
			else if (event.index() > this.startIndex) {
				this.listener.onChange(event);
			}
		}

	}

}
