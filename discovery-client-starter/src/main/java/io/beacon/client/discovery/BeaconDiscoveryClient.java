package io.beacon.client.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.beacon.client.ServiceInstance;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.RegistryUnavailableException;
import reactor.core.publisher.Mono;

/**
 * The discovery client: a cache of the services looked up, kept current by one watch stream.
 * {@link #start()} and {@link #stop()} own the thread that reconnects the stream and ages the
 * cache.
 */
public class BeaconDiscoveryClient implements DiscoveryClient {

	private final RegistryClient client;

	private final ServiceCache cache;

	private final Duration idleTimeout;

	private final Duration refetchInterval;

	private final Duration timeout;

	private final ThreadFactory threads;

	private final LongSupplier clock;

	private final Map<String, Mono<List<ServiceInstance>>> loading = new ConcurrentHashMap<>();

	private ScheduledExecutorService scheduler;

	private WatchConnection connection;

	/**
	 * @param client the registry client
	 * @param refetchInterval how often the watched services are re-fetched while the stream is down
	 * @param restartGrace how long instances missing after a registry restart are kept
	 * @param timeout how long a blocking lookup may wait for the registry
	 * @param threads makes the one thread this client owns
	 */
	public BeaconDiscoveryClient(RegistryClient client, Duration refetchInterval, Duration restartGrace,
			Duration timeout, ThreadFactory threads) {
		this.client = client;
		this.clock = System::currentTimeMillis;
		this.cache = new ServiceCache(this.clock, restartGrace.toMillis());
		this.idleTimeout = Duration.ofSeconds(45);
		this.refetchInterval = refetchInterval;
		this.timeout = timeout;
		this.threads = threads;
	}

	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor(this.threads);
		this.connection = new WatchConnection(this.client, this.cache, this.scheduler, this.idleTimeout,
				this.refetchInterval, this.clock);
		this.scheduler.scheduleWithFixedDelay(this.cache::dropExpiredCarryOvers, 1, 1, TimeUnit.SECONDS);
		// services looked up before the start are watched from now on
		this.cache.services().forEach(this.connection::watch);
	}

	public synchronized void stop() {
		if (this.scheduler == null) {
			return;
		}
		this.connection.close();
		this.scheduler.shutdownNow();
		this.scheduler = null;
	}

	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public List<ServiceInstance> getInstances(String service) {
		List<ServiceInstance> cached = cachedInstances(service);
		return (cached != null) ? cached : instances(service).block(this.timeout.plusSeconds(1));
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
			return this.client.services().block(this.timeout.plusSeconds(1));
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
	 * Since when (epoch millis) the cache has not been kept current by the registry, or -1 while it
	 * is (or while nothing is watched yet).
	 */
	public synchronized long staleSinceMillis() {
		return (this.connection != null) ? this.connection.staleSinceMillis() : -1;
	}

}
