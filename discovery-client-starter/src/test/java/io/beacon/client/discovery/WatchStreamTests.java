package io.beacon.client.discovery;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
 * The watch stream against a stub registry on loopback that sends exactly the frames a test needs:
 * where the client resumes from, and how long it waits on a silent stream.
 */
class WatchStreamTests {

	private HttpServer registry;

	private final ExecutorService handlers = Executors.newCachedThreadPool();

	private final CountDownLatch finished = new CountDownLatch(1);

	/** The Last-Event-ID of each watch request, in order ("" when it had none). */
	private final List<String> lastEventIds = new CopyOnWriteArrayList<>();

	private volatile BiConsumer<Integer, HttpExchange> answer;

	private RegistryClient client;

	private ScheduledExecutorService scheduler;

	private WatchConnection connection;

	@BeforeEach
	void startStubRegistry() throws IOException {
		this.registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.registry.setExecutor(this.handlers);
		this.registry.createContext("/v1/watch", (exchange) -> {
			String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
			this.lastEventIds.add((lastEventId != null) ? lastEventId : "");
			this.answer.accept(this.lastEventIds.size(), exchange);
		});
		this.registry.start();
		this.client = new RegistryClient(List.of(URI.create("http://127.0.0.1:" + this.registry.getAddress().getPort())),
				Duration.ofSeconds(1), Duration.ofSeconds(2), RegistryCallListener.NONE);
		this.scheduler = Executors.newSingleThreadScheduledExecutor();
	}

	@AfterEach
	void stopAll() {
		this.finished.countDown();
		if (this.connection != null) {
			this.connection.close();
		}
		this.scheduler.shutdownNow();
		this.client.close();
		this.registry.stop(0);
		this.handlers.shutdownNow();
	}

	@Test
	void aStreamThatBreaksMidReplayResumesAfterTheLastChangeApplied() {
		ServiceCache cache = new ServiceCache(Clock.systemUTC(), Duration.ofSeconds(2));
		this.answer = (attempt, exchange) -> {
			if (attempt == 1) {
				stream(exchange, null, snapshot(5, "p1"));
			}
			else if (attempt == 2) {
				// the registry replays 6..9; the connection breaks after 6
				stream(exchange, null, ":resumed at index 9\n\n", change(6, "p2"));
			}
			else {
				stream(exchange, null, snapshot(12, "p1", "p2"));
			}
		};
		this.connection = new WatchConnection(this.client, cache, this.scheduler, WatchIdleTimeout.of(null),
				Duration.ofSeconds(30), Clock.systemUTC());

		this.connection.watch("pay");

		await().atMost(Duration.ofSeconds(10)).until(() -> this.lastEventIds.size() >= 3);
		assertThat(this.lastEventIds.subList(0, 3)).containsExactly("", "5", "6");
		assertThat(ids(cache.up("pay"))).contains("p1", "p2");
	}

	@Test
	void aSilentStreamIsGivenUpAfterThreeOfTheKeepAliveIntervalsTheRegistryAnnounces() {
		ServiceCache cache = new ServiceCache(Clock.systemUTC(), Duration.ofSeconds(2));
		// the registry announces a keep-alive every 200 ms, then sends nothing more
		this.answer = (attempt, exchange) -> stream(exchange, "PT0.2S", snapshot(5, "p1"));
		this.connection = new WatchConnection(this.client, cache, this.scheduler, WatchIdleTimeout.of(null),
				Duration.ofSeconds(30), Clock.systemUTC());

		this.connection.watch("pay");

		await().atMost(Duration.ofSeconds(10)).until(() -> this.lastEventIds.size() >= 3);
		assertThat(this.lastEventIds).startsWith("", "5", "5");
	}

	/** Sends the frames, then keeps the connection open and silent until the test ends. */
	private void stream(HttpExchange exchange, String keepAlive, String... frames) {
		try (exchange) {
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			if (keepAlive != null) {
				exchange.getResponseHeaders().set("Beacon-Keep-Alive", keepAlive);
			}
			exchange.sendResponseHeaders(200, 0);
			OutputStream body = exchange.getResponseBody();
			for (String frame : frames) {
				body.write(frame.getBytes(StandardCharsets.UTF_8));
			}
			body.flush();
			if (keepAlive != null) {
				this.finished.await(30, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			// the client went away
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String snapshot(long index, String... ids) {
		StringBuilder instances = new StringBuilder();
		for (int i = 0; i < ids.length; i++) {
			instances.append((i > 0) ? "," : "").append(instance(ids[i], 9100 + i));
		}
		return "id: " + index + "\nevent: snapshot\ndata: {\"index\":" + index
				+ ",\"registryId\":\"r1\",\"services\":{\"pay\":[" + instances + "]}}\n\n";
	}

	private static String change(long index, String id) {
		return "id: " + index + "\nevent: registered\ndata: {\"type\":\"registered\",\"cause\":\"registered\",\"index\":"
				+ index + ",\"service\":\"pay\",\"instance\":" + instance(id, 9200) + "}\n\n";
	}

	private static String instance(String id, int port) {
		return "{\"instanceId\":\"" + id + "\",\"service\":\"pay\",\"host\":\"127.0.0.1\",\"port\":" + port
				+ ",\"secure\":false,\"status\":\"UP\",\"metadata\":{}}";
	}

	private static List<String> ids(List<ServiceInstance> instances) {
		return (instances != null) ? instances.stream().map(ServiceInstance::instanceId).toList() : List.of();
	}

}
