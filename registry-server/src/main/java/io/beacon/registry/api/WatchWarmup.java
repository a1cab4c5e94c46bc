package io.beacon.registry.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.http.ApiDispatcher;
import io.beacon.registry.logging.WarmupLineFilter;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.Disposable;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Runs the watch fan-out once before the registry reports ready, so that its first real changes do
 * not wait for the JIT: on a freshly started server the first changes sent to 1,000 streams took
 * several times as long as later ones while the JIT compiled the per-stream write path (BENCHMARKS.md,
 * "Watch fan-out on a fresh server").
 * <p>
 * The same code the API runs, none of its state: a private {@link Registry} behind a private
 * {@link ApiDispatcher} on an ephemeral loopback port, {@value #STREAMS} watch streams on it and
 * {@value #CHANGES} status changes, each awaited on every stream. The real registry, its index, change
 * log and meters never see it, and its log lines are dropped ({@link WarmupLineFilter}). Bounded by {@link #TIMEOUT}; a failure is logged and start-up goes on.
 */
final class WatchWarmup implements ApplicationListener<ApplicationStartedEvent> {

	static final int STREAMS = 100;

	static final int CHANGES = 200;

	static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Logger logger = LoggerFactory.getLogger(WatchWarmup.class);

	private static final String SERVICE = "beacon-warmup";

	private static final String EVENT = "event: updated";

	private static final String SNAPSHOT = "event: snapshot";

	private final Function<Registry, ApiDispatcher> dispatchers;

	/** @param dispatchers makes the API's dispatcher for a registry */
	WatchWarmup(Function<Registry, ApiDispatcher> dispatchers) {
		this.dispatchers = dispatchers;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		long start = System.nanoTime();
		try {
			long delivered = run();
			logger.info("Watch path warmed up in {} ms: {} of {} changes delivered on {} private loopback streams",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), delivered, (long) STREAMS * CHANGES, STREAMS);
		}
		catch (RuntimeException ex) {
			logger.warn("Warming up the watch path failed, the first changes may be slower: {}", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Runs the fan-out; returns how many change events reached the streams (at most STREAMS x CHANGES). */
	long run() throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		Registry registry = new Registry(Clock.systemUTC(), Ticker.system(), CHANGES);
		AtomicLong delivered = new AtomicLong();
		CountDownLatch opened = new CountDownLatch(STREAMS);
		List<Disposable> streams = new ArrayList<>();
		ApiDispatcher dispatcher = this.dispatchers.apply(registry);
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.route(ApiDispatcher::handles, dispatcher))
			.bindNow(TIMEOUT);
		MDC.put(WarmupLineFilter.MDC_KEY, "true");
		try {
			registry.register(InstanceRegistration.builder().service(SERVICE).instanceId("warmup").host("127.0.0.1")
				.port(9).leaseTtl(Duration.ofHours(1)).build());
			HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
				.baseUrl("http://127.0.0.1:" + server.port())
				.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"));
			for (int i = 0; i < STREAMS; i++) {
				EventCounter counter = new EventCounter(delivered, opened);
				streams.add(client.get().uri("/v1/watch?service=" + SERVICE).responseContent().asString()
					.subscribe(counter::accept, (error) -> opened.countDown()));
			}
			if (!opened.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
				throw new IllegalStateException("the warm-up streams did not open in time");
			}
			for (int change = 1; change <= CHANGES && System.nanoTime() < deadline; change++) {
				registry.updateStatus(SERVICE, "warmup", (change % 2 == 1) ? InstanceStatus.DRAINING : InstanceStatus.UP);
				// one change at a time, as changes come in real life, each awaited (briefly) on every stream
				long expected = (long) change * STREAMS;
				long wait = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
				while (delivered.get() < expected && System.nanoTime() < Math.min(wait, deadline)) {
					LockSupport.parkNanos(200_000);
				}
			}
			return delivered.get();
		}
		finally {
			MDC.remove(WarmupLineFilter.MDC_KEY);
			streams.forEach(Disposable::dispose);
			server.disposeNow(TIMEOUT);
		}
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	/**
	 * Counts one stream's change events in its text as it arrives. The end of the previous chunk is
	 * kept, so a marker split between two chunks is found; a marker lying wholly in that kept end was
	 * counted before and is skipped.
	 */
	private static final class EventCounter {

		private final AtomicLong delivered;

		private final CountDownLatch opened;

		private String carry = "";

		private boolean snapshot;

		EventCounter(AtomicLong delivered, CountDownLatch opened) {
			this.delivered = delivered;
			this.opened = opened;
		}

		void accept(String chunk) {
			String text = this.carry + chunk;
			int fresh = this.carry.length();
			if (!this.snapshot && text.indexOf(SNAPSHOT) >= 0) {
				this.snapshot = true;
				this.opened.countDown();
			}
			for (int at = text.indexOf(EVENT); at >= 0; at = text.indexOf(EVENT, at + 1)) {
				if (at + EVENT.length() > fresh) {
					this.delivered.incrementAndGet();
				}
			}
			this.carry = text.substring(Math.max(0, text.length() - SNAPSHOT.length()));
		}

	}

}
