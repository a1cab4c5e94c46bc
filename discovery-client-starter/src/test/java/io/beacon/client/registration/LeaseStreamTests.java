package io.beacon.client.registration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.registry.RegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter's side of the lease stream against a stub registry that binds {@code held}, binds and
 * at once ends {@code ended}, and does not know anything else.
 */
class LeaseStreamTests {

	private HttpServer registry;

	private RegistryClient client;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final AtomicInteger opens = new AtomicInteger();

	private final AtomicInteger forgotten = new AtomicInteger();

	private LeaseStream stream;

	@BeforeEach
	void startStubRegistry() throws IOException {
		this.registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.registry.createContext("/", this::lease);
		this.registry.start();
		this.client = new RegistryClient(List.of(URI.create("http://127.0.0.1:" + this.registry.getAddress().getPort())),
				Duration.ofSeconds(1), Duration.ofSeconds(5), RegistryCallListener.NONE);
		this.stream = new LeaseStream(this.client, this.scheduler, this.forgotten::incrementAndGet, Clock.systemUTC());
	}

	@AfterEach
	void stopAll() {
		this.stream.close();
		this.scheduler.shutdownNow();
		this.client.close();
		this.registry.stop(0);
	}

	private void lease(HttpExchange exchange) throws IOException {
		this.opens.incrementAndGet();
		String path = exchange.getRequestURI().getRawPath();
		String bound = "event: bound\ndata: {\"instanceId\":\"x\",\"graceMillis\":250,\"keepAliveMillis\":10000}\n\n";
		if (path.endsWith("/held/lease")) {
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.sendResponseHeaders(200, 0);
			exchange.getResponseBody().write(bound.getBytes(StandardCharsets.UTF_8));
			exchange.getResponseBody().flush();
			// kept open until the client closes it or the stub stops
			return;
		}
		byte[] body = path.endsWith("/ended/lease") ? bound.getBytes(StandardCharsets.UTF_8)
				: "{\"status\":404}".getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders()
			.set("Content-Type", path.endsWith("/ended/lease") ? "text/event-stream" : "application/problem+json");
		exchange.sendResponseHeaders(path.endsWith("/ended/lease") ? 200 : 404, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	@Test
	void anOpenStreamIsHeldUntilClosed() {
		this.stream.open("pay", "held");
		await().atMost(Duration.ofSeconds(10)).until(this.stream::held);
		this.stream.open("pay", "held");
		assertThat(this.opens).as("opening a held stream again changes nothing").hasValue(1);
		this.stream.close();
		assertThat(this.stream.held()).isFalse();
	}

	@Test
	void aStreamTheRegistryEndsIsReopenedUntilClosed() {
		this.stream.open("pay", "ended");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.opens.get() >= 3);
		this.stream.close();
		int opened = this.opens.get();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> this.opens.get() <= opened + 1);
		assertThat(this.forgotten).hasValue(0);
	}

	@Test
	void aStreamOfAnInstanceTheRegistryDoesNotKnowTellsTheRegistrationOnceAndStops() {
		this.stream.open("pay", "unknown");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.forgotten.get() == 1);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> this.opens.get() == 1);
		assertThat(this.stream.held()).isFalse();
		this.stream.open("pay", "held");
		await().atMost(Duration.ofSeconds(10)).until(this.stream::held);
	}

	@Test
	void aBrokenStreamIsReopenedWithinTheGraceAFewTimesThenWithBackoff() {
		for (int failure = 1; failure <= LeaseStream.QUICK_REOPENS; failure++) {
			assertThat(LeaseStream.reopenDelayMillis(failure)).as("reopen %d", failure).isBetween(25L, 50L);
		}
		assertThat(LeaseStream.reopenDelayMillis(LeaseStream.QUICK_REOPENS + 1)).isBetween(50L, 100L);
		assertThat(LeaseStream.reopenDelayMillis(LeaseStream.QUICK_REOPENS + 2)).isBetween(100L, 200L);
		assertThat(LeaseStream.reopenDelayMillis(LeaseStream.QUICK_REOPENS + 40)).isBetween(1000L, 2000L);
	}

	@Test
	void aStreamCutAsSoonAsItIsBoundBacksOffInsteadOfReopeningEvery50Ms() {
		this.stream.open("pay", "ended");
		// quick reopens and then backoff: 4 x <=50 ms, then 50-100, 100-200, 200-400, 400-800, 800-1600 ms
		await().atMost(Duration.ofSeconds(10)).until(() -> this.opens.get() >= 8);
		int opened = this.opens.get();
		await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> this.opens.get() <= opened + 1);
	}

}
