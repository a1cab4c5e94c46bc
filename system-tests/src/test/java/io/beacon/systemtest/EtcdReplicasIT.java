package io.beacon.systemtest;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registry replicas on etcd, with real processes: a 3-member etcd cluster, two registry replicas
 * (beacon.registry.store=etcd), three payment instances and an order service whose registry URLs
 * list both replicas, orders flowing at 50 per second while replicas and etcd members are killed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdReplicasIT {

	private final List<AppProcess> processes = new ArrayList<>();

	private final int[] replicaPorts = { AppProcess.freePort(), AppProcess.freePort() };

	private final AppProcess[] replicas = new AppProcess[2];

	private final List<AppProcess> payments = new ArrayList<>();

	private EtcdMembers etcd;

	private AppProcess order;

	/** When each payment instance registered, as the stack started. */
	private Map<String, String> registeredAt;

	@BeforeAll
	void startStack() {
		this.etcd = new EtcdMembers(3);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.etcd.healthy(0) && this.etcd.healthy(1)
				&& this.etcd.healthy(2));
		for (int i = 0; i < 2; i++) {
			startReplica(i, false);
		}
		for (int i = 0; i < 2; i++) {
			this.replicas[i].awaitHealthy();
		}
		String urls = "http://127.0.0.1:" + this.replicaPorts[0] + ",http://127.0.0.1:" + this.replicaPorts[1];
		for (int i = 0; i < 3; i++) {
			int port = AppProcess.freePort();
			this.payments.add(track(AppProcess.start("etcd-payment-" + port, AppProcess.PAYMENT_JAR, port,
					AppProcess.clientArgs(urls))));
		}
		this.order = track(AppProcess.start("etcd-order", AppProcess.ORDER_JAR, AppProcess.freePort(),
				AppProcess.clientArgs(urls)));
		this.payments.forEach(AppProcess::awaitHealthy);
		this.order.awaitHealthy();
		await().atMost(Duration.ofSeconds(60)).until(() -> upPayments(0).size() == 3 && upPayments(1).size() == 3);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Http.post(this.order.port(), "/orders", "{\"item\":\"warm-up\",\"amount\":1}")
				.statusCode() == 201);
		this.registeredAt = registeredAt(1);
	}

	/**
	 * @param background at a lower CPU priority: a JVM starting while orders flow must not starve the
	 * payment instances serving them on a 2-core machine
	 */
	private void startReplica(int i, boolean background) {
		this.replicas[i] = track(AppProcess.start("registry-" + this.replicaPorts[i], AppProcess.REGISTRY_JAR,
				this.replicaPorts[i],
				List.of("--beacon.registry.lease-check-interval=100ms", "--beacon.registry.store=etcd",
						"--beacon.registry.etcd.endpoints=" + this.etcd.endpoints(),
						"--beacon.registry.etcd.session-ttl=3s", "--beacon.registry.etcd.request-timeout=2s"),
				background));
	}

	@AfterAll
	void stopStack() throws InterruptedException {
		List<AppProcess> reversed = new ArrayList<>(this.processes);
		Collections.reverse(reversed);
		reversed.forEach(AppProcess::close);
		if (this.etcd != null) {
			this.etcd.close();
		}
	}

	@Test
	@Order(1)
	void killingOneReplicaFailsNoOrderAndLosesNoRegistrationAndItsRestartServesEverythingAtOnce()
			throws Exception {
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 1_000)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.completed() >= 50);
			this.replicas[0].kill();
			// Beyond the session TTL and three lease TTLs: the instances were taken over, not lost.
			int sofar = load.completed();
			await().atMost(Duration.ofSeconds(60)).until(() -> load.completed() >= sofar + 500);
			assertThat(upPayments(1)).hasSize(3);
			startReplica(0, true);
			await().atMost(Duration.ofSeconds(90)).until(() -> Http.healthy(this.replicaPorts[0]));
			assertThat(upPayments(0)).hasSize(3);
			load.close();
			assertThat(load.failures).as("failed orders").isEmpty();
		}
		assertThat(registeredAt(1)).isEqualTo(this.registeredAt);
	}

	@Test
	@Order(2)
	void killingOneEtcdMemberFailsNoOrderAndLosesNothing() throws Exception {
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 800)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.completed() >= 50);
			this.etcd.kill(2);
			int sofar = load.completed();
			await().atMost(Duration.ofSeconds(60)).until(() -> load.completed() >= sofar + 500);
			assertThat(upPayments(0)).hasSize(3);
			assertThat(upPayments(1)).hasSize(3);
			load.close();
			assertThat(load.failures).as("failed orders").isEmpty();
		}
		this.etcd.start(2);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.etcd.healthy(2));
	}

	@Test
	@Order(3)
	void killingBothReplicasAndRestartingThemKeepsEveryInstanceWithoutReRegistration() throws Exception {
		this.replicas[0].kill();
		this.replicas[1].kill();
		startReplica(0, true);
		startReplica(1, true);
		await().atMost(Duration.ofSeconds(90))
			.until(() -> Http.healthy(this.replicaPorts[0]) && Http.healthy(this.replicaPorts[1]));
		assertThat(upPayments(0)).hasSize(3);
		assertThat(upPayments(1)).hasSize(3);
		assertThat(registeredAt(0)).isEqualTo(this.registeredAt);
		// The instances heartbeat again, through the replicas that were just started...
		await().atMost(Duration.ofSeconds(30)).until(() -> counter(0, "heartbeats") + counter(1, "heartbeats") > 6);
		// ...which took no registration at all: nobody had to register again.
		assertThat(counter(0, "registrations") + counter(1, "registrations")).isZero();
		assertThat(upPayments(0)).hasSize(3);
	}

	private double counter(int replica, String name) {
		return Http.json(Http.get(this.replicaPorts[replica], "/actuator/metrics/beacon.registry." + name))
			.get("measurements")
			.get(0)
			.get("value")
			.asDouble();
	}

	@Test
	@Order(4)
	void withoutEtcdQuorumWritesAre503ReadsStaleHealthDownAndNothingIsLostWhenItIsBack() throws Exception {
		this.etcd.kill(1);
		this.etcd.kill(2);
		try {
			// The replica notices within two thirds of its session TTL that etcd no longer answers.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> Http.get(this.replicaPorts[1], "/v1/services/payment-service")
					.headers()
					.firstValue("Beacon-Stale")
					.isPresent());
			assertThat(Http.get(this.replicaPorts[1], "/actuator/health").statusCode()).isEqualTo(503);
			HttpResponse<String> write = Http.post(this.replicaPorts[1], "/v1/services/probe/instances",
					"{\"instanceId\":\"x\",\"host\":\"127.0.0.1\",\"port\":9}");
			assertThat(write.statusCode()).isEqualTo(503);
			assertThat(write.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			HttpResponse<String> read = Http.get(this.replicaPorts[1], "/v1/services/payment-service");
			assertThat(read.statusCode()).isEqualTo(200);
			assertThat(read.headers().firstValue("Beacon-Stale")).hasValue("true");
			assertThat(Http.json(read).get("instances")).hasSize(3);
		}
		finally {
			this.etcd.start(1);
			this.etcd.start(2);
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> Http.healthy(this.replicaPorts[0]) && Http.healthy(this.replicaPorts[1]));
		await().atMost(Duration.ofSeconds(30)).until(() -> upPayments(0).size() == 3 && upPayments(1).size() == 3);
		assertThat(Http.post(this.replicaPorts[1], "/v1/services/probe/instances",
				"{\"instanceId\":\"x\",\"host\":\"127.0.0.1\",\"port\":9}").statusCode()).isEqualTo(201);
	}

	private AppProcess track(AppProcess process) {
		this.processes.add(process);
		return process;
	}


	private List<String> upPayments(int replica) {
		List<String> ids = new ArrayList<>();
		try {
			for (JsonNode instance : Http.json(Http.get(this.replicaPorts[replica], "/v1/services/payment-service"))
				.get("instances")) {
				if ("UP".equals(instance.get("status").stringValue())) {
					ids.add(instance.get("instanceId").stringValue());
				}
			}
		}
		catch (IllegalStateException replicaDown) {
			return List.of();
		}
		return ids;
	}

	private Map<String, String> registeredAt(int replica) {
		Map<String, String> result = new TreeMap<>();
		for (JsonNode instance : Http.json(Http.get(this.replicaPorts[replica], "/v1/services/payment-service"))
			.get("instances")) {
			result.put(instance.get("instanceId").stringValue(), instance.get("registeredAt").stringValue());
		}
		return result;
	}

}
