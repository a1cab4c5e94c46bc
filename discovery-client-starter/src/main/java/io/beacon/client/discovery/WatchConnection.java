package io.beacon.client.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.beacon.client.registry.RegistryAccessDeniedException;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.WatchEvent;
import io.beacon.client.registry.WatchIdleTimeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Keeps one watch stream open to the registry for the services this application looked up, and
 * feeds what it sends into the cache. When the stream breaks, the cache keeps serving its last view
 * (reported stale), and the stream is reopened with jittered backoff, resuming after the last change
 * applied (the id of that change, or of the snapshot: never the index a resumed stream announces
 * before its replayed changes, which a stream breaking mid-replay would skip); while it stays down,
 * the watched services are also re-fetched every {@code refetchInterval}. All state changes happen
 * under this object's monitor.
 */
final class WatchConnection {

	private static final Logger logger = LoggerFactory.getLogger(WatchConnection.class);

	private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private final RegistryClient client;

	private final ServiceCache cache;

	private final ScheduledExecutorService scheduler;

	private final WatchIdleTimeout idleTimeout;

	private final Duration refetchInterval;

	private final Clock clock;

	private final Set<String> watched = new TreeSet<>();

	private Disposable stream;

	/** Bumped on every (re)connect: events from an older stream are ignored. */
	private long generation;

	/** The id of the last change (or snapshot) applied: where a resumed stream starts after. */
	private long lastApplied = -1;

	private String registryId;

	private int failures;

	private boolean closed;

	/** Since when the view has not been kept current, or {@code null} while it is. */
	private volatile Instant staleSince;

	private Instant lastRefetch;

	WatchConnection(RegistryClient client, ServiceCache cache, ScheduledExecutorService scheduler,
			WatchIdleTimeout idleTimeout, Duration refetchInterval, Clock clock) {
		this.client = client;
		this.cache = cache;
		this.scheduler = scheduler;
		this.idleTimeout = idleTimeout;
		this.refetchInterval = refetchInterval;
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

	/** Since when the view has not been kept current by the registry, or {@code null} while it is. */
	Instant staleSince() {
		return this.staleSince;
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
		OptionalLong from = (resume && this.lastApplied >= 0) ? OptionalLong.of(this.lastApplied)
				: OptionalLong.empty();
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
			// a snapshot replaces everything: its index is the position, even a lower one from a new registry
			this.lastApplied = snapshot.index();
		}
		else if (event instanceof WatchEvent.Change change) {
			this.cache.apply(change);
			this.lastApplied = Math.max(this.lastApplied, change.index());
		}
		// "resumed at index N" says where the replay will end, not what was applied: it moves nothing
		if (this.staleSince != null) {
			logger.info("Watching {} at {} again", services, this.client.currentUrl());
		}
		this.staleSince = null;
		this.failures = 0;
	}

	private synchronized void onBroken(long gen, Throwable error) {
		if (gen != this.generation || this.closed) {
			return;
		}
		Instant now = this.clock.instant();
		if (this.staleSince == null) {
			this.staleSince = now;
			this.lastRefetch = now;
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
		long cap = Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(this.failures - 1, 10));
		long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
		try {
			this.scheduler.schedule(() -> reconnect(gen), delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the scheduler is shut down: the application is stopping
		}
	}

	private synchronized void reconnect(long gen) {
		if (gen != this.generation || this.closed) {
			return;
		}
		Instant now = this.clock.instant();
		if (this.staleSince != null && !now.isBefore(this.lastRefetch.plus(this.refetchInterval))) {
			this.lastRefetch = now;
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
