package io.beacon.client.discovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.client.MutableClock;
import io.beacon.client.ServiceInstance;
import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.WatchIdleTimeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the watch stream cannot be opened, the cached view is kept current by re-fetching the
 * watched services every refetch interval, as the injected clock tells it: the test moves the clock.
 * A stub registry on loopback answers fetches but refuses every watch stream with 503.
 */
class WatchConnectionTests {

	private HttpServer registry;

	private final AtomicReference<String> view = new AtomicReference<>();

	private final AtomicInteger watchAttempts = new AtomicInteger();

	private final AtomicInteger fetches = new AtomicInteger();

	private RegistryClient client;

	private ScheduledExecutorService scheduler;

	private WatchConnection connection;

	@BeforeEach
	void startStubRegistry() throws IOException {
		this.registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.registry.createContext("/v1/watch", (exchange) -> {
			this.watchAttempts.incrementAndGet();
			reply(exchange, 503, "application/problem+json",
					"{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503}");
		});
		this.registry.createContext("/v1/services/pay", (exchange) -> {
			this.fetches.incrementAndGet();
			reply(exchange, 200, "application/json", this.view.get());
		});
		this.registry.start();
		this.client = new RegistryClient(List.of(URI.create("http://127.0.0.1:" + this.registry.getAddress().getPort())),
				Duration.ofSeconds(1), Duration.ofSeconds(2), RegistryCallListener.NONE);
		this.scheduler = Executors.newSingleThreadScheduledExecutor();
	}

	@AfterEach
	void stopAll() {
		if (this.connection != null) {
			this.connection.close();
		}
		this.scheduler.shutdownNow();
		this.client.close();
		this.registry.stop(0);
	}

	@Test
	void whileTheStreamIsDownTheWatchedServicesAreRefetchedEachTimeTheIntervalPassesOnTheClock() {
		MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
		Instant start = clock.instant();
		this.view.set(view(5, "p1"));
		ServiceCache cache = new ServiceCache(clock, Duration.ofSeconds(2));
		this.connection = new WatchConnection(this.client, cache, this.scheduler,
				WatchIdleTimeout.of(Duration.ofSeconds(30)), Duration.ofSeconds(30), clock);

		this.connection.watch("pay");

		// the stream is retried all along, with backoff; no re-fetch while the clock stands still
		await().atMost(Duration.ofSeconds(10)).until(() -> this.watchAttempts.get() >= 3);
		assertThat(this.fetches.get()).isZero();
		assertThat(this.connection.staleSince()).isEqualTo(start);

		clock.advance(Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(10)).until(() -> ids(cache.up("pay")).equals(List.of("p1")));
		int fetchesBefore = this.fetches.get();

		this.view.set(view(9, "p1", "p2"));
		clock.advance(Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(10)).until(() -> ids(cache.up("pay")).equals(List.of("p1", "p2")));
		assertThat(this.fetches.get()).isGreaterThan(fetchesBefore);
		assertThat(this.connection.staleSince()).isEqualTo(start);
	}

	private static List<String> ids(List<ServiceInstance> instances) {
		return (instances != null) ? instances.stream().map(ServiceInstance::instanceId).toList() : List.of();
	}

	private static String view(long index, String... ids) {
		StringBuilder json = new StringBuilder("{\"service\":\"pay\",\"index\":" + index + ",\"instances\":[");
		for (int i = 0; i < ids.length; i++) {
			json.append((i > 0) ? "," : "")
				.append("{\"instanceId\":\"")
				.append(ids[i])
				.append("\",\"service\":\"pay\",\"host\":\"127.0.0.1\",\"port\":")
				.append(9100 + i)
				.append(",\"secure\":false,\"status\":\"UP\",\"metadata\":{}}");
		}
		return json.append("]}").toString();
	}

	private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
