package io.beacon.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers never notice instances coming and going: real JVMs on loopback, real SIGKILLs and
 * SIGTERMs, orders flowing at 50 per second all the while. The class starts a registry, three
 * payment instances and an order service (small heaps, 3 s leases), restores three UP payment
 * instances before each scenario, and stops every process it started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final Duration HEARTBEAT = LEASE.dividedBy(3);

	private final List<AppProcess> processes = new ArrayList<>();

	private final List<AppProcess> payments = new ArrayList<>();

	private int registryPort;

	private AppProcess registry;

	private AppProcess order;

	private int started;

	@BeforeAll
	void startStack() {
		this.registryPort = AppProcess.freePort();
		this.registry = track(AppProcess.registry(this.registryPort));
		for (int i = 0; i < 3; i++) {
			this.payments.add(track(newPayment(false)));
		}
		this.order = track(AppProcess.order(AppProcess.freePort(), this.registryPort));
		Stream.concat(Stream.of(this.registry, this.order), this.payments.stream()).forEach(AppProcess::awaitHealthy);
	}

	@BeforeEach
	void threePaymentInstancesUp() {
		for (int i = 0; i < this.payments.size(); i++) {
			if (!this.payments.get(i).isAlive()) {
				AppProcess replacement = track(newPayment(false));
				this.payments.set(i, replacement);
				replacement.awaitHealthy();
			}
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> upPayments().size() == 3);
		// an order makes order-service look up payment-service (once) and watch it
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Http.post(this.order.port(), "/orders", "{\"item\":\"warm-up\",\"amount\":1}")
				.statusCode() == 201);
	}

	@AfterAll
	void stopStack() {
		List<AppProcess> reversed = new ArrayList<>(this.processes);
		Collections.reverse(reversed);
		reversed.forEach(AppProcess::close);
	}

	@Test
	@Order(1)
	void crashOfOnePaymentInstanceFailsNoOrder() throws Exception {
		AppProcess victim = this.payments.get(1);
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 1_500)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.served(victim.instanceId()) >= 10);
			long killedAt = System.nanoTime();
			victim.kill();

			await().atMost(LEASE.plusSeconds(3))
				.until(() -> "DOWN".equals(Http.status(this.registryPort, "payment-service", victim.instanceId())));
			double downAfter = seconds(killedAt);
			await().atMost(Duration.ofSeconds(2)).until(() -> !upInOrdersView(victim.instanceId()));
			double goneFromViewAfter = seconds(killedAt);
			await().atMost(LEASE.multipliedBy(3).plusSeconds(3))
				.until(() -> Http.status(this.registryPort, "payment-service", victim.instanceId()) == null);
			double removedAfter = seconds(killedAt);
			int sofar = load.completed();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= sofar + 100);
			load.close();

			report("crash", Map.of("orders", load.completed(), "failed", load.failures.size(), "downAfterKill_s",
					round(downAfter), "goneFromOrderViewAfterKill_s", round(goneFromViewAfter),
					"removedAfterKill_s", round(removedAfter), "servedBy", load.servedBy.toString()));
			assertThat(load.failures).as("failed orders").isEmpty();
			// a lease lapses one TTL after the last heartbeat; the sweep runs every 100 ms
			assertThat(downAfter).isLessThanOrEqualTo(LEASE.toSeconds() + 1.0);
			assertThat(removedAfter).isLessThanOrEqualTo(3 * LEASE.toSeconds() + 1.0);
		}
	}

	@Test
	@Order(2)
	void rollingRestartOfAllPaymentInstancesFailsNoOrder() throws Exception {
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 6_000)) {
			List<String> timings = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				AppProcess old = this.payments.get(i);
				long start = System.nanoTime();
				old.terminate(Duration.ofSeconds(30));
				AppProcess replacement = track(newPayment(true));
				this.payments.set(i, replacement);
				replacement.awaitHealthy();
				await().atMost(Duration.ofSeconds(30)).until(
						() -> "UP".equals(Http.status(this.registryPort, "payment-service", replacement.instanceId())));
				await().atMost(Duration.ofSeconds(20)).until(() -> load.served(replacement.instanceId()) >= 5);
				timings.add(String.format("%s->%s %.1fs", old.name(), replacement.name(), seconds(start)));
			}
			load.close();
			report("rolling restart", Map.of("orders", load.completed(), "failed", load.failures.size(), "steps",
					timings.toString(), "servedBy", load.servedBy.toString()));
			assertThat(load.failures).as("failed orders").isEmpty();
			assertThat(upPayments()).containsExactlyInAnyOrderElementsOf(
					this.payments.stream().map(AppProcess::instanceId).toList());
		}
	}

	@Test
	@Order(3)
	void registryCrashFailsNoOrderAndEveryoneComesBack() throws Exception {
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 3_000)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.completed() >= 50);
			this.registry.kill();
			await().atMost(Duration.ofSeconds(10)).until(this::orderViewIsStale);
			int duringOutage = load.completed();
			await().atMost(Duration.ofSeconds(20)).until(() -> load.completed() >= duringOutage + 100);

			long restartedAt = System.nanoTime();
			this.registry = track(AppProcess.registry(this.registryPort));
			this.registry.awaitHealthy();
			double readyAfter = seconds(restartedAt);
			long readyAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).until(() -> upPayments().size() == 3
					&& Http.status(this.registryPort, "order-service", this.order.instanceId()) != null);
			double allBackAfterReady = seconds(readyAt);
			await().atMost(Duration.ofSeconds(10)).until(() -> !orderViewIsStale());
			double resyncedAfterReady = seconds(readyAt);
			int afterResync = load.completed();
			await().atMost(Duration.ofSeconds(20)).until(() -> load.completed() >= afterResync + 100);
			load.close();

			report("registry crash", Map.of("orders", load.completed(), "failed", load.failures.size(),
					"registryReadyAfterRestart_s", round(readyAfter), "allReRegisteredAfterReady_s",
					round(allBackAfterReady), "watchResyncedAfterReady_s", round(resyncedAfterReady)));
			assertThat(load.failures).as("failed orders").isEmpty();
			// within one heartbeat interval plus its 10 % jitter, and a second for the calls themselves
			assertThat(allBackAfterReady).isLessThanOrEqualTo(HEARTBEAT.toMillis() * 1.1 / 1000 + 1.0);
		}
	}

	private AppProcess newPayment(boolean background) {
		return AppProcess.payment("payment-" + (++this.started), AppProcess.freePort(), this.registryPort, background);
	}

	private AppProcess track(AppProcess process) {
		this.processes.add(process);
		return process;
	}


	private List<String> upPayments() {
		List<String> ids = new ArrayList<>();
		try {
			for (JsonNode instance : Http.json(Http.get(this.registryPort, "/v1/services/payment-service"))
				.get("instances")) {
				ids.add(instance.get("instanceId").stringValue());
			}
		}
		catch (IllegalStateException registryDown) {
			return List.of();
		}
		return ids;
	}

	private boolean upInOrdersView(String instanceId) {
		JsonNode view = Http.json(Http.get(this.order.port(), "/actuator/beacon"));
		for (JsonNode instance : view.get("services").get("payment-service")) {
			if (instance.get("instanceId").stringValue().equals(instanceId)) {
				return "UP".equals(instance.get("status").stringValue());
			}
		}
		return false;
	}

	private boolean orderViewIsStale() {
		return Http.json(Http.get(this.order.port(), "/actuator/beacon")).get("cacheStale").booleanValue();
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

	private static String round(double value) {
		return String.format("%.2f", value);
	}

	private static void report(String scenario, Map<String, Object> figures) {
		System.out.println("[system-test] " + scenario + ": " + new TreeMap<>(figures));
	}

}
