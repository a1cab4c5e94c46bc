package io.beacon.systemtest;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Security on, as in production: a registry with one token per service, three payment instances
 * and an order service each using its own token, orders at 50 per second; meanwhile a rogue client
 * holding a read-only token tries to deregister, drain, heartbeat for and impersonate the payment
 * instances. Every attempt is refused, no payment instance changes, no order fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {

	private static final String PAYMENT_TOKEN = "payment-service-Tok3n-for-the-system-test";

	private static final String ORDER_TOKEN = "order-service-Tok3n-for-the-system-test";

	private static final String ROGUE_TOKEN = "rogue-read-only-Tok3n";

	private final List<AppProcess> processes = new ArrayList<>();

	private final List<AppProcess> payments = new ArrayList<>();

	private int registryPort;

	private AppProcess order;

	@BeforeAll
	void startStack() {
		this.registryPort = AppProcess.freePort();
		AppProcess registry = track(AppProcess.registry(this.registryPort, "--beacon.registry.security.enabled=true",
				"--beacon.registry.security.tokens[0].name=payment-service",
				"--beacon.registry.security.tokens[0].sha256=" + sha256(PAYMENT_TOKEN),
				"--beacon.registry.security.tokens[0].roles=read,register",
				"--beacon.registry.security.tokens[0].services=payment-service",
				"--beacon.registry.security.tokens[1].name=order-service",
				"--beacon.registry.security.tokens[1].sha256=" + sha256(ORDER_TOKEN),
				"--beacon.registry.security.tokens[1].roles=read,register",
				"--beacon.registry.security.tokens[1].services=order-service",
				"--beacon.registry.security.tokens[2].name=rogue",
				"--beacon.registry.security.tokens[2].sha256=" + sha256(ROGUE_TOKEN),
				"--beacon.registry.security.tokens[2].roles=read"));
		for (int i = 1; i <= 3; i++) {
			int port = AppProcess.freePort();
			this.payments.add(track(AppProcess.start("secured-payment-" + i, AppProcess.PAYMENT_JAR, port,
					withToken(AppProcess.clientArgs(this.registryPort), PAYMENT_TOKEN), false)));
		}
		this.order = track(AppProcess.start("secured-order", AppProcess.ORDER_JAR, AppProcess.freePort(),
				withToken(AppProcess.clientArgs(this.registryPort), ORDER_TOKEN), false));
		List<AppProcess> all = new ArrayList<>(this.processes);
		for (AppProcess process : all) {
			await().atMost(Duration.ofSeconds(180)).until(() -> Http.healthy(process.port()));
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> upPayments().size() == 3);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Http.post(this.order.port(), "/orders", "{\"item\":\"warm-up\",\"amount\":1}")
				.statusCode() == 201);
		// Warm-up, not measured: the JVMs run with C1 only, and the first orders through each path are slow.
		try (OrderLoad warmUp = new OrderLoad(this.order.port(), 10, 100)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> warmUp.completed() >= 100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@AfterAll
	void stopStack() {
		List<AppProcess> reversed = new ArrayList<>(this.processes);
		Collections.reverse(reversed);
		reversed.forEach(AppProcess::close);
	}

	@Test
	void aRogueReadTokenCannotTouchThePaymentInstancesAndNoOrderFails() throws Exception {
		List<String> before = paymentSnapshot();
		AtomicInteger refused = new AtomicInteger();
		List<String> notRefused = new ArrayList<>();
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 750)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.completed() >= 50);
			for (int round = 0; round < 5; round++) {
				for (AppProcess payment : this.payments) {
					String instance = "/v1/services/payment-service/instances/" + payment.instanceId();
					attack(Http.send(this.registryPort, "DELETE", instance, null, ROGUE_TOKEN), refused, notRefused);
					attack(Http.send(this.registryPort, "PUT", instance + "/status", "{\"status\":\"DOWN\"}",
							ROGUE_TOKEN), refused, notRefused);
					attack(Http.send(this.registryPort, "PUT", instance + "/heartbeat", null, ROGUE_TOKEN), refused,
							notRefused);
					attack(Http.send(this.registryPort, "POST", "/v1/services/payment-service/instances",
							"{\"instanceId\":\"" + payment.instanceId() + "\",\"host\":\"127.0.0.66\",\"port\":6666}",
							ROGUE_TOKEN), refused, notRefused);
					// the order service's own token may not touch payment instances either
					attack(Http.send(this.registryPort, "DELETE", instance, null, ORDER_TOKEN), refused, notRefused);
					// and without a token nothing at all
					attack(Http.send(this.registryPort, "DELETE", instance, null, null), refused, notRefused);
				}
				attack(Http.send(this.registryPort, "POST", "/v1/services/payment-service/instances",
						"{\"instanceId\":\"rogue-1\",\"host\":\"127.0.0.66\",\"port\":6666}", ROGUE_TOKEN), refused,
						notRefused);
			}
			int sofar = load.completed();
			await().atMost(Duration.ofSeconds(60)).until(() -> load.completed() >= sofar + 300);
			load.close();
			System.out.println("[system-test] security: " + load.completed() + " orders, " + load.failures.size()
					+ " failed, " + refused.get() + " rogue requests refused, served by " + load.servedBy);
			assertThat(notRefused).as("rogue requests that were not refused").isEmpty();
			assertThat(load.failures).as("failed orders").isEmpty();
		}
		assertThat(upPayments()).hasSize(3);
		assertThat(paymentSnapshot()).as("who owns which payment instance, at which address").isEqualTo(before);
		assertThat(Http.get(this.registryPort, "/v1/services/payment-service/instances/rogue-1", ROGUE_TOKEN)
			.statusCode()).isEqualTo(404);
		String metrics = Http.get(this.registryPort, "/actuator/prometheus").body();
		assertThat(metrics).containsPattern("beacon_registry_security_refusals_total\\{[^}]*reason=\"role\"[^}]*} [1-9]");
		assertThat(metrics).doesNotContain(ROGUE_TOKEN, sha256(ROGUE_TOKEN));
	}

	private static void attack(HttpResponse<String> response, AtomicInteger refused, List<String> notRefused) {
		if (response.statusCode() == 401 || response.statusCode() == 403) {
			refused.incrementAndGet();
		}
		else {
			notRefused.add(response.request().method() + " " + response.request().uri() + " -> "
					+ response.statusCode() + " " + response.body());
		}
	}

	/** Each payment instance's id, address, status and owner (not its heartbeat time). */
	private List<String> paymentSnapshot() {
		List<String> snapshot = new ArrayList<>();
		for (JsonNode instance : Http.json(Http.get(this.registryPort, "/v1/services/payment-service?status=ALL",
				ROGUE_TOKEN)).get("instances")) {
			snapshot.add(instance.get("instanceId").stringValue() + " " + instance.get("host").stringValue() + ":"
					+ instance.get("port").intValue() + " " + instance.get("status").stringValue() + " owner="
					+ instance.get("owner").stringValue());
		}
		return snapshot;
	}

	private List<String> upPayments() {
		HttpResponse<String> response = Http.get(this.registryPort, "/v1/services/payment-service", ROGUE_TOKEN);
		List<String> ids = new ArrayList<>();
		if (response.statusCode() == 200) {
			Http.json(response).get("instances").forEach((i) -> ids.add(i.get("instanceId").stringValue()));
		}
		return ids;
	}

	private static List<String> withToken(List<String> args, String token) {
		List<String> all = new ArrayList<>(args);
		all.add("--beacon.client.token=" + token);
		return all;
	}

	private AppProcess track(AppProcess process) {
		this.processes.add(process);
		return process;
	}

	/** The hex SHA-256 of a token, as the registry's settings hold it. */
	static String sha256(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
