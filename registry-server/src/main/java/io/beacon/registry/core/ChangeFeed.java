package io.beacon.registry.core;

import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers changes to watchers. The registry queues each change while it holds its lock (so the
 * queue is in index order) and then, after releasing it, lets the calling thread drain the queue.
 * Only one thread drains at a time, so every watcher sees changes in order and the registry lock
 * is never held while watchers are called. Besides changes, the queue carries resets: a snapshot
 * of every service that each watcher gets, cut to its services, in place of changes the store
 * lost track of.
 */
final class ChangeFeed {

	private static final Logger logger = LoggerFactory.getLogger(ChangeFeed.class);

	/** {@link ChangeEvent}s and resets ({@link WatchStart.Snapshot}s of every service), in index order. */
	private final Queue<Object> pending = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	private final Map<String, Set<Subscriber>> byService = new ConcurrentHashMap<>();

	private final Set<Subscriber> everyService = ConcurrentHashMap.newKeySet();

	private final AtomicInteger open = new AtomicInteger();

	/** Called under the registry lock, in index order. */
	void enqueue(ChangeEvent event) {
		this.pending.add(event);
	}

	/** Called under the registry lock, in index order: every watcher starts anew from this state. */
	void enqueueReset(WatchStart.Snapshot everything) {
		this.pending.add(everything);
	}

	/**
	 * Adds a subscriber that gets changes after {@code startIndex}. Called under the registry lock,
	 * so no change can slip between the subscriber's start and its first live change.
	 */
	Subscriber subscribe(Set<String> services, long startIndex, WatchListener listener) {
		Subscriber subscriber = new Subscriber(services, startIndex, listener);
		if (services.isEmpty()) {
			this.everyService.add(subscriber);
		}
		else {
			for (String service : services) {
				// Added inside compute, atomically with unsubscribe's removal of an emptied set: added
				// after computeIfAbsent returned, it could land in a set just dropped from the map.
				this.byService.compute(service, (key, set) -> {
					Set<Subscriber> subscribers = (set != null) ? set : ConcurrentHashMap.newKeySet();
					subscribers.add(subscriber);
					return subscribers;
				});
			}
		}
		this.open.incrementAndGet();
		return subscriber;
	}

	void unsubscribe(Subscriber subscriber) {
		if (!subscriber.closed.compareAndSet(false, true)) {
			return;
		}
		if (subscriber.services.isEmpty()) {
			this.everyService.remove(subscriber);
		}
		else {
			for (String service : subscriber.services) {
				this.byService.computeIfPresent(service, (key, set) -> {
					set.remove(subscriber);
					return set.isEmpty() ? null : set;
				});
			}
		}
		this.open.decrementAndGet();
	}

	int openWatches() {
		return this.open.get();
	}

	/**
	 * Delivers queued changes unless another thread is already doing so. The re-check after
	 * releasing the flag closes the window where a change is queued just as the drainer stops.
	 */
	void drain() {
		while (!this.pending.isEmpty() && this.draining.compareAndSet(false, true)) {
			try {
				Object item;
				while ((item = this.pending.poll()) != null) {
					if (item instanceof ChangeEvent event) {
						deliver(event);
					}
					else {
						reset((WatchStart.Snapshot) item);
					}
				}
			}
			finally {
				this.draining.set(false);
			}
		}
	}

	private void deliver(ChangeEvent event) {
		Set<Subscriber> watchingService = this.byService.get(event.service());
		if (watchingService != null) {
			for (Subscriber subscriber : watchingService) {
				subscriber.offer(event, this);
			}
		}
		for (Subscriber subscriber : this.everyService) {
			subscriber.offer(event, this);
		}
	}

	private void reset(WatchStart.Snapshot everything) {
		Set<Subscriber> all = new HashSet<>(this.everyService);
		this.byService.values().forEach(all::addAll);
		for (Subscriber subscriber : all) {
			subscriber.reset(everything, this);
		}
	}

	static final class Subscriber {

		private final Set<String> services;

		private final long startIndex;

		private final WatchListener listener;

		private final AtomicBoolean closed = new AtomicBoolean();

		private Subscriber(Set<String> services, long startIndex, WatchListener listener) {
			this.services = services;
			this.startIndex = startIndex;
			this.listener = listener;
		}

		boolean wants(ChangeEvent event) {
			return this.services.isEmpty() || this.services.contains(event.service());
		}

		private void reset(WatchStart.Snapshot everything, ChangeFeed feed) {
			if (this.closed.get()) {
				return;
			}
			try {
				this.listener.onStart(WatchHub.cut(everything, this.services));
			}
			catch (RuntimeException ex) {
				logger.warn("Closing a watch whose listener failed on a reset at {}", everything.index(), ex);
				feed.unsubscribe(this);
			}
		}

		private void offer(ChangeEvent event, ChangeFeed feed) {
			// Changes queued before this subscriber started are already in its start.
			if (event.index() <= this.startIndex || this.closed.get()) {
				return;
			}
			try {
				this.listener.onChange(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Closing a watch whose listener failed on change {}", event.index(), ex);
				feed.unsubscribe(this);
			}
		}

	}

}
