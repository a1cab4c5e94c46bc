package io.beacon.client.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.client.InstanceStatus;
import io.beacon.client.registration.LocalInstance;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationListener;
import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.registry.RegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The race seen under load: the first registration (STARTING) times out on the client, the
 * registrar registers again as UP, and then the registry receives the abandoned first request. A
 * real registry behind a proxy that holds the first registration until the second one succeeded.
 */
class WriteOrderIntegrationTests {

	private RegistryServer server;

	private HttpServer proxy;

	private ExecutorService proxyThreads;

	private final HttpClient forward = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final CountDownLatch releaseFirst = new CountDownLatch(1);

	private final CompletableFuture<Integer> firstAnswer = new CompletableFuture<>();

	private final AtomicBoolean firstSeen = new AtomicBoolean();

	private ScheduledExecutorService scheduler;

	private RegistryClient client;

	private Registrar registrar;

	@BeforeEach
	void startRegistryBehindAProxyThatHoldsTheFirstRegistration() throws IOException {
		this.server = RegistryServer.start();
		this.proxyThreads = Executors.newCachedThreadPool();
		this.proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.proxy.setExecutor(this.proxyThreads);
		this.proxy.createContext("/", this::relay);
		this.proxy.start();
	}

	@AfterEach
	void stopAll() {
		this.releaseFirst.countDown();
		if (this.registrar != null) {
			this.registrar.stop();
		}
		if (this.client != null) {
			this.client.close();
		}
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		this.proxy.stop(0);
		this.proxyThreads.shutdownNow();
		this.server.close();
	}

	@Test
	void anAbandonedRegistrationLandingAfterTheNextOneLeavesTheInstanceUp() throws Exception {
		this.scheduler = Executors.newSingleThreadScheduledExecutor();
		URI proxyUrl = URI.create("http://127.0.0.1:" + this.proxy.getAddress().getPort());
		this.client = new RegistryClient(List.of(proxyUrl), Duration.ofSeconds(1), Duration.ofMillis(500),
				RegistryCallListener.NONE);
		this.registrar = new Registrar(this.client, this.scheduler, Clock.systemUTC(), RegistrationListener.NONE);
		this.registrar.start(new LocalInstance("payment-service", "p1", "127.0.0.1", 8080, false, null, Map.of(),
				Duration.ofSeconds(30)), false);
		await().atMost(Duration.ofSeconds(10)).untilTrue(this.firstSeen);
		this.registrar.setStatus(InstanceStatus.UP);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.server.registry().instance("payment-service", "p1").map((i) -> i.status().name()),
					(status) -> status.equals(java.util.Optional.of("UP")));

		this.releaseFirst.countDown();

		assertThat(this.firstAnswer.get(20, TimeUnit.SECONDS)).isEqualTo(409);
		assertThat(this.server.registry().instance("payment-service", "p1").orElseThrow().status().name())
			.isEqualTo("UP");
	}

	/** Forwards every request to the registry; the first registration only once released. */
	private void relay(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = exchange.getRequestBody().readAllBytes();
			boolean first = exchange.getRequestMethod().equals("POST") && this.firstSeen.compareAndSet(false, true);
			if (first && !this.releaseFirst.await(30, TimeUnit.SECONDS)) {
				return;
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(
					URI.create(this.server.url() + exchange.getRequestURI().toString()))
				.timeout(Duration.ofSeconds(10))
				.method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
			for (String name : List.of("Content-Type", "Accept", RegistryClient.WRITE_SEQ_HEADER)) {
				String value = exchange.getRequestHeaders().getFirst(name);
				if (value != null) {
					request.header(name, value);
				}
			}
			HttpResponse<byte[]> response = this.forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			if (first) {
				this.firstAnswer.complete(response.statusCode());
			}
			response.headers().firstValue("Content-Type")
				.ifPresent((type) -> exchange.getResponseHeaders().set("Content-Type", type));
			byte[] reply = response.body();
			exchange.sendResponseHeaders(response.statusCode(), (reply.length == 0) ? -1 : reply.length);
			if (reply.length > 0) {
				exchange.getResponseBody().write(reply);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
