package io.beacon.systemtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * Requests at a steady rate through the gateway, bounded in count: every other one is an order
 * ({@code /order-service/orders}, which pays through payment-service from order-service), the others
 * payments straight to payment-service ({@code /payment-service/payments}, chosen by the gateway).
 * Counts failures (anything but 201, timeouts included) and, per payment instance, how many payments
 * it served and when it served its first.
 */
final class GatewayLoad implements AutoCloseable {

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final long start = System.nanoTime();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	private final String base;

	private final int maxRequests;

	final AtomicInteger sent = new AtomicInteger();

	final AtomicInteger succeeded = new AtomicInteger();

	final List<String> failures = new CopyOnWriteArrayList<>();

	/** Payments each instance took straight from the gateway. */
	final Map<String, AtomicInteger> servedByGateway = new ConcurrentHashMap<>();

	/** When (System.nanoTime) each instance first took a payment straight from the gateway. */
	final Map<String, Long> firstServedAt = new ConcurrentHashMap<>();

	GatewayLoad(int gatewayPort, int perSecond, int maxRequests) {
		this.base = "http://127.0.0.1:" + gatewayPort;
		this.maxRequests = maxRequests;
		this.ticker.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
	}

	private void sendOne() {
		int n = this.sent.incrementAndGet();
		if (n > this.maxRequests) {
			this.ticker.shutdown();
			return;
		}
		boolean order = n % 2 == 0;
		String path = order ? "/order-service/orders" : "/payment-service/payments";
		String body = order ? "{\"item\":\"book\",\"amount\":12.50}" : "{\"orderId\":\"gw-" + n + "\",\"amount\":12.50}";
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (!order) {
			// lets the gateway retry a payment that failed mid-request on another instance
			request.header("Idempotency-Key", "gw-" + n);
		}
		String sentAt = String.format("%.2fs", (System.nanoTime() - this.start) / 1e9);
		this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
			if (error != null) {
				this.failures.add(sentAt + " " + path + ": " + error);
			}
			else if (response.statusCode() != 201) {
				this.failures.add(sentAt + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
			}
			else {
				if (!order) {
					JsonNode payment = Http.json(response);
					String by = payment.get("servedBy").stringValue();
					this.firstServedAt.putIfAbsent(by, System.nanoTime());
					this.servedByGateway.computeIfAbsent(by, (key) -> new AtomicInteger()).incrementAndGet();
				}
				this.succeeded.incrementAndGet();
			}
		});
	}

	int served(String instanceId) {
		AtomicInteger count = this.servedByGateway.get(instanceId);
		return (count != null) ? count.get() : 0;
	}

	double elapsedSeconds() {
		return (System.nanoTime() - this.start) / 1e9;
	}

	int completed() {
		return this.succeeded.get() + this.failures.size();
	}

	/** Stops sending and waits for the requests in flight to finish. */
	@Override
	public void close() throws InterruptedException {
		this.ticker.shutdownNow();
		this.ticker.awaitTermination(5, TimeUnit.SECONDS);
		int target = Math.min(this.sent.get(), this.maxRequests);
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> completed() >= target);
	}

}
