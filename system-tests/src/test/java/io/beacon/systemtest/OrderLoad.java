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

/**
 * Orders at a steady rate against the order service, bounded in count, counting what each payment
 * instance served and every failure (anything but 201, including timeouts).
 */
final class OrderLoad implements AutoCloseable {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	private final URI orders;

	private final int maxOrders;

	final AtomicInteger sent = new AtomicInteger();

	final AtomicInteger succeeded = new AtomicInteger();

	final List<String> failures = new CopyOnWriteArrayList<>();

	final Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();

	/**
	 * @param perSecond orders per second
	 * @param maxOrders stop after this many, whatever happens
	 */
	OrderLoad(int orderPort, int perSecond, int maxOrders) {
		this.orders = URI.create("http://127.0.0.1:" + orderPort + "/orders");
		this.maxOrders = maxOrders;
		this.ticker.scheduleAtFixedRate(this::placeOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
	}

	private void placeOne() {
		if (this.sent.incrementAndGet() > this.maxOrders) {
			this.ticker.shutdown();
			return;
		}
		HttpRequest request = HttpRequest.newBuilder(this.orders)
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"book\",\"amount\":12.50}"))
			.build();
		this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
			if (error != null) {
				this.failures.add(error.toString());
			}
			else if (response.statusCode() != 201) {
				this.failures.add("HTTP " + response.statusCode() + " " + response.body());
			}
			else {
				String by = Http.json(response).get("payment").get("servedBy").stringValue();
				this.servedBy.computeIfAbsent(by, (key) -> new AtomicInteger()).incrementAndGet();
				this.succeeded.incrementAndGet();
			}
		});
	}

	int served(String instanceId) {
		AtomicInteger count = this.servedBy.get(instanceId);
		return (count != null) ? count.get() : 0;
	}

	int completed() {
		return this.succeeded.get() + this.failures.size();
	}

	/** Stops sending and waits for the orders in flight to finish. */
	@Override
	public void close() throws InterruptedException {
		this.ticker.shutdownNow();
		this.ticker.awaitTermination(5, TimeUnit.SECONDS);
		int target = Math.min(this.sent.get(), this.maxOrders);
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> completed() >= target);
	}

}
