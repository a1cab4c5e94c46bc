package io.beacon.client.registration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.client.MutableClock;
import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.registry.RegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registrar on a shared scheduler it does not own, against a stub registry on loopback whose
 * first heartbeat hangs until the test lets it answer.
 */
class RegistrarTests {

	private HttpServer registry;

	private final AtomicInteger heartbeats = new AtomicInteger();

	private final AtomicInteger deregistrations = new AtomicInteger();

	private final CountDownLatch heartbeatMayAnswer = new CountDownLatch(1);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);

	private RegistryClient client;

	@BeforeEach
	void startStubRegistry() throws IOException {
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.registry.setExecutor(Executors.newCachedThreadPool());
		this.registry.createContext("/v1/services/pay/instances", (exchange) -> {
			String path = exchange.getRequestURI().getPath();
			if (path.endsWith("/heartbeat")) {
				this.heartbeats.incrementAndGet();
				waitFor(this.heartbeatMayAnswer);
				reply(exchange, 204, "");
			}
			else if (exchange.getRequestMethod().equals("DELETE")) {
				this.deregistrations.incrementAndGet();
				reply(exchange, 204, "");
			}
			else {
				reply(exchange, 201, "{\"instanceId\":\"p1\",\"service\":\"pay\",\"host\":\"10.0.0.1\",\"port\":8080,"
						+ "\"secure\":false,\"status\":\"STARTING\",\"metadata\":{}}");
			}
		});
		this.registry.start();
		this.client = new RegistryClient(List.of(URI.create("http://127.0.0.1:" + this.registry.getAddress().getPort())),
				Duration.ofSeconds(1), Duration.ofSeconds(10), RegistryCallListener.NONE);
	}

	@AfterEach
	void stopAll() {
		this.heartbeatMayAnswer.countDown();
		this.scheduler.shutdownNow();
		this.client.close();
		this.registry.stop(0);
	}

	@Test
	void stopDuringAHeartbeatWaitsForItThenDeregistersAndLeavesNothingScheduled() {
		Registrar registrar = new Registrar(this.client, this.scheduler, this.clock, RegistrationListener.NONE);
		registrar.start(new LocalInstance("pay", "p1", "10.0.0.1", 8080, false, null, Map.of(), Duration.ofSeconds(3)),
				true);
		assertThat(registrar.snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
		assertThat(registrar.snapshot().lastHeartbeat()).isEqualTo(this.clock.instant());
		assertThat(registrar.snapshot().heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.heartbeats.get() == 1);

		CompletableFuture<Void> stopping = CompletableFuture.runAsync(registrar::stop);
		this.heartbeatMayAnswer.countDown();
		stopping.join();

		assertThat(registrar.snapshot().state()).isEqualTo(RegistrationState.DEREGISTERED);
		assertThat(this.deregistrations.get()).isEqualTo(1);
		assertThat(this.scheduler.getQueue()).as("no tick left to run").isEmpty();
		assertThat(this.scheduler.isShutdown()).as("the scheduler is not the registrar's to stop").isFalse();
		assertThat(this.heartbeats.get()).isEqualTo(1);
	}

	@Test
	void theRegistryAnswerIsTimedByTheGivenClock() {
		this.heartbeatMayAnswer.countDown();
		Registrar registrar = new Registrar(this.client, this.scheduler, this.clock, RegistrationListener.NONE);
		registrar.start(new LocalInstance("pay", "p1", "10.0.0.1", 8080, false, null, Map.of(), Duration.ofSeconds(3)),
				true);
		Instant registered = this.clock.instant();
		this.clock.advance(Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.heartbeats.get() >= 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> registered.plus(Duration.ofMinutes(5)).equals(registrar.snapshot().lastHeartbeat()));
		registrar.stop();
	}

	private static void waitFor(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void reply(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, (status == 204) ? -1 : bytes.length);
		if (status != 204) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

}
