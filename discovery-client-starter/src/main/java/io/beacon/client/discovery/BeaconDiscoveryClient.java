package io.beacon.client.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.beacon.client.ServiceInstance;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.RegistryUnavailableException;
import io.beacon.client.registry.WatchIdleTimeout;
import reactor.core.publisher.Mono;

/**
 * The discovery client: a cache of the services looked up, kept current by one watch stream.
 * Between {@link #start()} and {@link #stop()} the stream is reconnected and the cache aged by tasks
 * on the shared scheduler it is given (and does not own).
 */
public class BeaconDiscoveryClient implements DiscoveryClient {

	/** How often instances kept over a registry restart are checked for the end of their grace. */
	private static final Duration CARRY_OVER_CHECK = Duration.ofSeconds(1);

	private final RegistryClient client;

	private final ServiceCache cache;

	private final WatchIdleTimeout idleTimeout;

	private final Duration refetchInterval;

	private final ScheduledExecutorService scheduler;

	private final Clock clock;

	private final Map<String, Mono<List<ServiceInstance>>> loading = new ConcurrentHashMap<>();

	private WatchConnection connection;

	private ScheduledFuture<?> carryOverCheck;

	/**
	 * @param client the registry client; a blocking lookup waits up to its call timeout
	 * @param refetchInterval how often the watched services are re-fetched while the stream is down
	 * @param restartGrace how long instances missing after a registry restart are kept
	 * @param idleTimeout how long the watch stream may stay silent before it counts as broken
	 * @param scheduler the shared scheduler the watch reconnects and the cache ages on (not owned)
	 * @param clock tells staleness and the end of a restart grace
	 */
	public BeaconDiscoveryClient(RegistryClient client, Duration refetchInterval, Duration restartGrace,
			WatchIdleTimeout idleTimeout, ScheduledExecutorService scheduler, Clock clock) {
		this.client = client;
		this.clock = clock;
		this.cache = new ServiceCache(clock, restartGrace);
		this.idleTimeout = idleTimeout;
		this.refetchInterval = refetchInterval;
		this.scheduler = scheduler;
	}

	public synchronized void start() {
		if (this.connection != null) {
			return;
		}
		this.connection = new WatchConnection(this.client, this.cache, this.scheduler, this.idleTimeout,
				this.refetchInterval, this.clock);
		long period = CARRY_OVER_CHECK.toMillis();
		this.carryOverCheck = this.scheduler.scheduleWithFixedDelay(this.cache::dropExpiredCarryOvers, period, period,
				TimeUnit.MILLISECONDS);
		// services looked up before the start are watched from now on
		this.cache.services().forEach(this.connection::watch);
	}

	public synchronized void stop() {
		if (this.connection == null) {
			return;
		}
		this.connection.close();
		this.carryOverCheck.cancel(false);
		this.connection = null;
	}

	public synchronized boolean isRunning() {
		return this.connection != null;
	}

	@Override
	public List<ServiceInstance> getInstances(String service) {
		List<ServiceInstance> cached = cachedInstances(service);
		return (cached != null) ? cached : instances(service).block(this.client.callTimeout());
	}

	/**
	 * The cached UP instances of a service, or {@code null} when it was never looked up: the load
	 * balancer's allocation-free fast path.
	 */
	public List<ServiceInstance> cachedInstances(String service) {
		List<ServiceInstance> up = this.cache.up(service);
		return (up != null) ? up : this.cache.up(service.toLowerCase(Locale.ROOT));
	}

	@Override
	public Mono<List<ServiceInstance>> instances(String service) {
		String name = service.toLowerCase(Locale.ROOT);
		List<ServiceInstance> cached = this.cache.up(name);
		if (cached != null) {
			return Mono.just(cached);
		}
		// Concurrent first lookups of one service share one fetch.
		return this.loading.computeIfAbsent(name, (key) -> this.client.fetch(key).map((view) -> {
			this.cache.load(key, view.index(), view.instances());
			watch(key);
			return this.cache.up(key);
		}).doFinally((signal) -> this.loading.remove(key)).cache());
	}

	private synchronized void watch(String service) {
		if (this.connection != null) {
			this.connection.watch(service);
		}
	}

	@Override
	public List<String> getServices() {
		try {
			return this.client.services().block(this.client.callTimeout());
		}
		catch (RegistryUnavailableException ex) {
			return new ArrayList<>(this.cache.services());
		}
	}

	@Override
	public AutoCloseable subscribe(DiscoveryListener listener) {
		this.cache.addListener(listener);
		return () -> this.cache.removeListener(listener);
	}

	/** Every cached instance of a service, any status. */
	public List<ServiceInstance> cachedAll(String service) {
		return this.cache.all(service);
	}

	/** The services in the cache. */
	public Set<String> cachedServices() {
		return this.cache.services();
	}

	/** How many instances the cache holds. */
	public int cacheSize() {
		return this.cache.size();
	}

	/**
	 * Since when the cache has not been kept current by the registry; empty while it is (or while
	 * nothing is watched yet).
	 */
	public synchronized Optional<Instant> staleSince() {
		return Optional.ofNullable((this.connection != null) ? this.connection.staleSince() : null);
	}

	/** How long the cache has not been kept current by the registry: zero while it is. */
	public Duration staleness() {
		return staleSince().map((since) -> Duration.between(since, this.clock.instant()))
			.filter((age) -> !age.isNegative())
			.orElse(Duration.ZERO);
	}

}
