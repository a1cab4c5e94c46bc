package io.beacon.registry.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.beacon.registry.config.RegistryProperties;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.http.ApiDispatcher;
import io.beacon.registry.http.IndexHeader;
import io.beacon.registry.http.Problems;
import io.beacon.registry.logging.WarmupLineFilter;
import io.beacon.registry.security.ApiGuard;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.Disposable;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Runs the watch fan-out in the background once the registry is ready, so that its first real
 * changes do not wait for the JIT: on a freshly started server the first changes sent to 1,000
 * streams took several times as long as later ones while the per-stream write path ran interpreted
 * (BENCHMARKS.md, "Watch fan-out on a fresh server").
 * <p>
 * The same code the API runs, none of its state: a private {@link Registry} behind a private
 * {@link ApiDispatcher} on an ephemeral loopback port, on the server's event loops, {@value #STREAMS}
 * watch streams on it and {@value #CHANGES} status changes, each awaited on every stream (at most
 * {@link #CHANGE_WAIT}). The real registry, its index, change log and meters never see it, and the
 * lines its registry logs are dropped ({@link WarmupLineFilter}). It never delays readiness: it starts
 * after it, as short steps on the registry's scheduler thread (no thread of its own, nothing blocks),
 * bounded by {@link #TIMEOUT}; a failure is logged and changes nothing else.
 */
final class WatchWarmup implements ApplicationListener<ApplicationReadyEvent> {

	static final int STREAMS = 50;

	static final int CHANGES = 300;

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final Duration CHANGE_WAIT = Duration.ofMillis(100);

	private static final Duration STEP = Duration.ofMillis(1);

	private static final Logger logger = LoggerFactory.getLogger(WatchWarmup.class);

	private static final String SERVICE = "beacon-warmup";

	private static final String INSTANCE = "warmup";

	private final Function<Registry, ApiDispatcher> dispatchers;

	private final BiFunction<Duration, Runnable, Future<?>> scheduler;

	private final Clock clock;

	private final Ticker ticker;

	private final int changeLogCapacity;

	private final CompletableFuture<Long> result = new CompletableFuture<>();

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicInteger opened = new AtomicInteger();

	private final List<Disposable> streams = new ArrayList<>();

	// The rest is touched only by the steps, one at a time on the scheduler thread.

	private Registry registry;

	private DisposableServer server;

	private long started;

	private long changeStarted;

	private int changes;

	/**
	 * @param dispatchers makes the API's dispatcher for a registry
	 * @param scheduler runs a step once after a delay (the registry's scheduler); returns
	 * {@code null} when it is not running
	 * @param clock the wall clock the registry runs on
	 * @param ticker the monotonic clock the registry runs on
	 * @param changeLogCapacity the private registry's change log
	 */
	WatchWarmup(Function<Registry, ApiDispatcher> dispatchers, BiFunction<Duration, Runnable, Future<?>> scheduler,
			Clock clock, Ticker ticker, int changeLogCapacity) {
		this.dispatchers = dispatchers;
		this.scheduler = scheduler;
		this.clock = clock;
		this.ticker = ticker;
		this.changeLogCapacity = changeLogCapacity;
	}

	/**
	 * The API's watch endpoint alone, on a registry given to it, behind an open guard, with meters
	 * of its own: what the warm-up serves its streams from.
	 */
	static Function<Registry, ApiDispatcher> dispatchers(JsonMapper jsonMapper, Problems problems,
			RegistryProperties.Watch watch) {
		return (registry) -> {
			MeterRegistry meters = new SimpleMeterRegistry();
			WatchEndpoint endpoint = new WatchEndpoint(registry, new WatchEvents(jsonMapper), WatchMetrics.of(meters),
					watch.getMaxPendingEvents(), watch.getKeepAlive());
			return new ApiDispatcher(List.of(ApiRoutes.watch(endpoint, ApiGuard.open())), problems,
					new IndexHeader(registry), meters);
		};
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		start();
	}

	/** Starts the warm-up; {@link #result()} completes when it has ended. */
	void start() {
		if (this.scheduler.apply(Duration.ZERO, () -> step(this::open)) == null) {
			this.result.completeExceptionally(new IllegalStateException("the registry's scheduler is not running"));
		}
	}

	/** How many change events reached the streams (at most STREAMS x CHANGES), once it has ended. */
	CompletableFuture<Long> result() {
		return this.result;
	}

	private void open() {
		this.started = this.ticker.nanos();
		this.registry = new Registry(this.clock, this.ticker, this.changeLogCapacity);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.route(ApiDispatcher::handles, this.dispatchers.apply(this.registry)))
			.bindNow(TIMEOUT);
		this.registry.register(InstanceRegistration.builder().service(SERVICE).instanceId(INSTANCE).host("127.0.0.1")
			.port(9).leaseTtl(Duration.ofHours(1)).build());
		HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
			.baseUrl("http://127.0.0.1:" + this.server.port())
			.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"));
		for (int i = 0; i < STREAMS; i++) {
			FrameCounter counter = new FrameCounter(this.delivered, this.opened);
			this.streams.add(client.get().uri("/v1/watch?service=" + SERVICE).responseContent()
				.subscribe(counter::accept, (error) -> counter.failed()));
		}
		next(this::awaitStreams);
	}

	private void awaitStreams() {
		if (this.opened.get() < STREAMS) {
			next(this::awaitStreams);
			return;
		}
		change();
	}

	private void change() {
		this.changes++;
		this.changeStarted = this.ticker.nanos();
		InstanceStatus status = (this.changes % 2 == 1) ? InstanceStatus.DRAINING : InstanceStatus.UP;
		this.registry.updateStatus(SERVICE, INSTANCE, status);
		next(this::awaitChange);
	}

	/** One change at a time, as changes come in real life, each awaited (briefly) on every stream. */
	private void awaitChange() {
		boolean everywhere = this.delivered.get() >= (long) this.changes * STREAMS;
		if (!everywhere && this.ticker.nanos() - this.changeStarted < CHANGE_WAIT.toNanos()) {
			next(this::awaitChange);
		}
		else if (this.changes < CHANGES) {
			change();
		}
		else {
			finish(null);
		}
	}

	private void next(Runnable action) {
		if (this.ticker.nanos() - this.started > TIMEOUT.toNanos()) {
			finish(new IllegalStateException("it did not end within " + TIMEOUT.toSeconds() + " s"));
		}
		else if (this.scheduler.apply(STEP, () -> step(action)) == null) {
			finish(new IllegalStateException("the registry is stopping"));
		}
	}

	private void step(Runnable action) {
		MDC.put(WarmupLineFilter.MDC_KEY, "true");
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			finish(ex);
		}
		finally {
			MDC.remove(WarmupLineFilter.MDC_KEY);
		}
	}

	private void finish(RuntimeException failure) {
		if (this.result.isDone()) {
			return;
		}
		this.streams.forEach(Disposable::dispose);
		if (this.server != null) {
			this.server.dispose();
		}
		long millis = TimeUnit.NANOSECONDS.toMillis(this.ticker.nanos() - this.started);
		MDC.remove(WarmupLineFilter.MDC_KEY); // this line is about the real registry's warm-up: keep it
		if (failure == null) {
			logger.info("Watch path warmed up in the background in {} ms: {} of {} changes delivered on {} private "
					+ "loopback streams", millis, this.delivered.get(), (long) STREAMS * CHANGES, STREAMS);
			this.result.complete(this.delivered.get());
		}
		else {
			logger.warn("Warming up the watch path stopped after {} ms, the first changes may be slower: {}", millis,
					failure.toString());
			this.result.completeExceptionally(failure);
		}
	}

}
