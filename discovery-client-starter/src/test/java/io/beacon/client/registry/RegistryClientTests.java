package io.beacon.client.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.client.InstanceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The registry client against a stub registry on loopback that records the paths it is asked for.
 */
class RegistryClientTests {

	private HttpServer registry;

	private final List<String> paths = new CopyOnWriteArrayList<>();

	private RegistryClient client;

	/** Holds the silent lease stream open until the test is done with it. */
	private final java.util.concurrent.CountDownLatch silence = new java.util.concurrent.CountDownLatch(1);

	@BeforeEach
	void startStubRegistry() throws IOException {
		this.registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.registry.createContext("/", (exchange) -> {
			this.paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
			String path = exchange.getRequestURI().getRawPath();
			if (path.endsWith("/lease")) {
				lease(exchange, path);
			}
			else if (path.endsWith("/heartbeat") || exchange.getRequestMethod().equals("DELETE")) {
				reply(exchange, 204, null, "");
			}
			else if (path.endsWith("/v1/watch")) {
				reply(exchange, 200, "text/event-stream", "id: 3\nevent: snapshot\ndata: {\"index\":3,"
						+ "\"registryId\":\"r1\",\"services\":{\"pay\":[]}}\n\n");
			}
			else if (path.endsWith("/v1/services")) {
				reply(exchange, 200, "application/json", "{\"services\":[{\"service\":\"pay\"}]}");
			}
			else if (path.endsWith("/v1/services/pay")) {
				reply(exchange, 200, "application/json", "{\"service\":\"pay\",\"index\":3,\"instances\":[]}");
			}
			else {
				reply(exchange, 200, "application/json", "{\"instanceId\":\"p1\",\"service\":\"pay\","
						+ "\"host\":\"10.0.0.1\",\"port\":8080,\"secure\":false,\"status\":\"UP\",\"metadata\":{}}");
			}
		});
		this.registry.start();
	}

	@AfterEach
	void stopAll() {
		this.silence.countDown();
		if (this.client != null) {
			this.client.close();
		}
		this.registry.stop(0);
	}

	@Test
	void aBasePathInTheRegistryUrlIsKeptForEveryCall() {
		this.client = new RegistryClient(List.of(URI.create("http://127.0.0.1:" + this.registry.getAddress().getPort()
				+ "/beacon/")), Duration.ofSeconds(1), Duration.ofSeconds(2), RegistryCallListener.NONE);
		Duration wait = Duration.ofSeconds(5);
		this.client.register("pay", new RegistrationRequest("p1", "10.0.0.1", 8080, false, InstanceStatus.UP, null,
				Map.of(), 15)).block(wait);
		this.client.heartbeat("pay", "p1").block(wait);
		this.client.updateStatus("pay", "p1", InstanceStatus.DRAINING).block(wait);
		this.client.fetch("pay").block(wait);
		this.client.services().block(wait);
		this.client.watch(Set.of("pay"), OptionalLong.empty(), WatchIdleTimeout.of(null)).blockFirst(wait);
		this.client.deregister("pay", "p1").block(wait);
		assertThat(this.paths).containsExactly("POST /beacon/v1/services/pay/instances",
				"PUT /beacon/v1/services/pay/instances/p1/heartbeat", "PUT /beacon/v1/services/pay/instances/p1/status",
				"GET /beacon/v1/services/pay", "GET /beacon/v1/services", "GET /beacon/v1/watch",
				"DELETE /beacon/v1/services/pay/instances/p1");
	}

	@Test
	void theLeaseStreamGivesTheBindingTheRegistrySends() {
		this.client = client();
		assertThat(this.client.leaseStream("pay", "p1").collectList().block(Duration.ofSeconds(10)))
			.containsExactly(new LeaseBinding("p1", Duration.ofMillis(250), Duration.ofMillis(1000)));
		assertThat(this.paths).containsExactly("GET /v1/services/pay/instances/p1/lease");
	}

	@Test
	void aLeaseStreamOfAnInstanceTheRegistryDoesNotKnowFailsAsNotRegistered() {
		this.client = client();
		assertThatExceptionOfType(InstanceNotRegisteredException.class)
			.isThrownBy(() -> this.client.leaseStream("pay", "gone").blockLast(Duration.ofSeconds(10)));
	}

	@Test
	void aLeaseStreamSilentForThreeKeepAliveIntervalsCountsAsBroken() {
		this.client = client();
		List<LeaseBinding> bound = new CopyOnWriteArrayList<>();
		assertThatExceptionOfType(RegistryUnavailableException.class)
			.isThrownBy(() -> this.client.leaseStream("pay", "silent").doOnNext(bound::add).blockLast(Duration.ofSeconds(10)))
			.withMessageContaining("timed out");
		assertThat(bound).extracting(LeaseBinding::keepAlive).containsExactly(Duration.ofMillis(50));
		this.silence.countDown();
	}

	@Test
	void aBrokenLeaseStreamMovesTheNextAttemptToTheNextRegistryUrl() throws IOException {
		int deadPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			deadPort = socket.getLocalPort();
		}
		URI dead = URI.create("http://127.0.0.1:" + deadPort);
		URI live = URI.create("http://127.0.0.1:" + this.registry.getAddress().getPort());
		this.client = new RegistryClient(List.of(dead, live), Duration.ofSeconds(1), Duration.ofSeconds(5),
				RegistryCallListener.NONE);
		assertThatExceptionOfType(RegistryUnavailableException.class)
			.isThrownBy(() -> this.client.leaseStream("pay", "p1").blockLast(Duration.ofSeconds(10)))
			.withMessageContaining(dead.toString());
		assertThat(this.client.currentUrl()).isEqualTo(live);
		assertThat(this.client.leaseStream("pay", "p1").collectList().block(Duration.ofSeconds(10)))
			.extracting(LeaseBinding::instanceId)
			.containsExactly("p1");
	}

	private RegistryClient client() {
		return new RegistryClient(List.of(URI.create("http://127.0.0.1:" + this.registry.getAddress().getPort())),
				Duration.ofSeconds(1), Duration.ofSeconds(5), RegistryCallListener.NONE);
	}

	/** Lease streams: {@code p1} is bound and ends, {@code silent} is bound then stays silent, others are unknown. */
	private void lease(HttpExchange exchange, String path) throws IOException {
		if (path.endsWith("/p1/lease")) {
			reply(exchange, 200, "text/event-stream", bound("p1", 1000));
		}
		else if (path.endsWith("/silent/lease")) {
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.sendResponseHeaders(200, 0);
			exchange.getResponseBody().write(bound("silent", 50).getBytes(StandardCharsets.UTF_8));
			exchange.getResponseBody().flush();
			try {
				this.silence.await(10, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		}
		else {
			reply(exchange, 404, "application/problem+json", "{\"status\":404,\"detail\":\"unknown\"}");
		}
	}

	private static String bound(String id, long keepAliveMillis) {
		return "event: bound\ndata: {\"service\":\"pay\",\"instanceId\":\"" + id
				+ "\",\"graceMillis\":250,\"keepAliveMillis\":" + keepAliveMillis + "}\n\n";
	}

	private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		if (contentType != null) {
			exchange.getResponseHeaders().set("Content-Type", contentType);
		}
		exchange.sendResponseHeaders(status, (status == 204) ? -1 : bytes.length);
		if (status != 204) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

}
