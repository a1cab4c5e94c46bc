package io.beacon.client.discovery;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.beacon.client.registry.RegistryAccessDeniedException;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Keeps one watch stream open to the registry for the services this application looked up, and
 * feeds what it sends into the cache. When the stream breaks, the cache keeps serving its last view
 * (reported stale), and the stream is reopened with jittered backoff, resuming from the last index
 * seen; while it stays down, the watched services are also re-fetched every {@code refetchInterval}.
 * All state changes happen on the scheduler's single thread, or under this object's monitor.
 */
final class WatchConnection {

	private static final Logger logger = LoggerFactory.getLogger(WatchConnection.class);

	private static final long MIN_BACKOFF_MILLIS = 100;

	private static final long MAX_BACKOFF_MILLIS = 5_000;

	private final RegistryClient client;

	private final ServiceCache cache;

	private final ScheduledExecutorService scheduler;

	private final Duration idleTimeout;

	private final long refetchIntervalMillis;

	private final LongSupplier clock;

	private final Set<String> watched = new TreeSet<>();

	private Disposable stream;

	/** Bumped on every (re)connect: events from an older stream are ignored. */
	private long generation;

	private long lastIndex = -1;

	private String registryId;

	private int failures;

	private boolean closed;

	private volatile long staleSinceMillis = -1;

	private long lastRefetchMillis;

	WatchConnection(RegistryClient client, ServiceCache cache, ScheduledExecutorService scheduler,
			Duration idleTimeout, Duration refetchInterval, LongSupplier clock) {
		this.client = client;
		this.cache = cache;
		this.scheduler = scheduler;
		this.idleTimeout = idleTimeout;
		this.refetchIntervalMillis = refetchInterval.toMillis();
		this.clock = clock;
	}

	/** Adds a service to the stream (reopening it with a fresh snapshot). */
	synchronized void watch(String service) {
		if (this.closed || !this.watched.add(service)) {
			return;
		}
		connect(false);
	}

	synchronized Set<String> watched() {
		return Set.copyOf(this.watched);
	}

	/** Since when the view has not been kept current by the registry, or -1 when it is. */
	long staleSinceMillis() {
		return this.staleSinceMillis;
	}

	synchronized void close() {
		this.closed = true;
		if (this.stream != null) {
			this.stream.dispose();
		}
	}

	private void connect(boolean resume) {
		if (this.stream != null) {
			this.stream.dispose();
		}
		long gen = ++this.generation;
		OptionalLong from = (resume && this.lastIndex >= 0) ? OptionalLong.of(this.lastIndex) : OptionalLong.empty();
		Set<String> services = Set.copyOf(this.watched);
		this.stream = this.client.watch(services, from, this.idleTimeout)
			.subscribe((event) -> onEvent(gen, services, event), (ex) -> onBroken(gen, ex),
					() -> onBroken(gen, null));
	}

	private synchronized void onEvent(long gen, Set<String> services, WatchEvent event) {
		if (gen != this.generation || this.closed) {
			return;
		}
		if (event instanceof WatchEvent.Snapshot snapshot) {
			boolean registryChanged = this.registryId != null && !this.registryId.equals(snapshot.registryId());
			if (registryChanged) {
				logger.info("The registry restarted (or another one answered): re-syncing; instances that have "
						+ "not re-registered yet are kept for the grace period");
			}
			this.registryId = snapshot.registryId();
			this.cache.apply(snapshot, services, registryChanged);
		}
		else if (event instanceof WatchEvent.Change change) {
			this.cache.apply(change);
		}
		this.lastIndex = Math.max(this.lastIndex, event.index());
		if (this.staleSinceMillis >= 0) {
			logger.info("Watching {} at {} again", services, this.client.currentUrl());
		}
		this.staleSinceMillis = -1;
		this.failures = 0;
	}

	private synchronized void onBroken(long gen, Throwable error) {
		if (gen != this.generation || this.closed) {
			return;
		}
		long now = this.clock.getAsLong();
		if (this.staleSinceMillis < 0) {
			this.staleSinceMillis = now;
			this.lastRefetchMillis = now;
			if (error instanceof RegistryAccessDeniedException) {
				logger.error("The registry refused the watch stream: {}; serving the cached view and retrying with "
						+ "the current credentials", error.getMessage());
			}
			else {
				logger.warn("Lost the registry watch stream ({}); serving the cached view and reconnecting",
						(error != null) ? error.getMessage() : "closed by the registry");
			}
		}
		this.failures++;
		long cap = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(this.failures - 1, 10));
		long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
		this.scheduler.schedule(() -> reconnect(gen), delay, TimeUnit.MILLISECONDS);
	}

	private synchronized void reconnect(long gen) {
		if (gen != this.generation || this.closed) {
			return;
		}
		long now = this.clock.getAsLong();
		if (this.staleSinceMillis >= 0 && now - this.lastRefetchMillis >= this.refetchIntervalMillis) {
			this.lastRefetchMillis = now;
			refetch();
		}
		connect(true);
	}

	/** Fetches the watched services one by one while the stream is down. */
	private void refetch() {
		for (String service : this.watched) {
			this.client.fetch(service)
				.subscribe((view) -> this.cache.load(service, view.index(), view.instances()),
						(ex) -> logger.debug("Re-fetching {} failed: {}", service, ex.getMessage()));
		}
	}

}
