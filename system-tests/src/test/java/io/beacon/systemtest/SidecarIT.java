package io.beacon.systemtest;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
 * A payment-service replica that is not a JVM: {@code payment_app.py} (Python, standard library
 * only) run by the sidecar, next to a Java payment instance, a registry and the sample order
 * service, all real processes on loopback. The sidecar registers the Python app, the order service
 * finds it and sends it orders, the app pays through the sidecar's proxy, a SIGSTOPped app is
 * reported DOWN and a SIGCONTed one UP, and a SIGTERM of the sidecar drains the app with no failed
 * order. Short timings: 3 s leases, a probe every 500 ms with a 500 ms timeout, DOWN after 3
 * unhealthy probes, UP after 2 healthy ones, a 1 s drain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SidecarIT {

	private static final Path PYTHON = Path.of("/usr/bin/python3");

	private static final Path APP = AppProcess.ROOT.resolve("system-tests/src/test/resources/payment_app.py");

	private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

	private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

	private static final int UNHEALTHY_THRESHOLD = 3;

	private final List<AppProcess> processes = new ArrayList<>();

	private int registryPort;

	private AppProcess order;

	private AppProcess javaPayment;

	private AppProcess sidecar;

	private int pythonPort;

	private String pythonId;

	@BeforeAll
	void startStack() {
		boolean required = System.getenv("BEACON_REQUIRE_TOOLS") != null;
		if (!Files.isExecutable(PYTHON)) {
			assertThat(required).as("python3 is required (BEACON_REQUIRE_TOOLS) but " + PYTHON + " is missing").isFalse();
			Assumptions.abort(PYTHON + " is missing: the sidecar system test needs a non-JVM app");
		}
		this.registryPort = AppProcess.freePort();
		track(AppProcess.registry(this.registryPort));
		this.javaPayment = track(AppProcess.payment("payment-java", AppProcess.freePort(), this.registryPort, false));
		this.order = track(AppProcess.order(AppProcess.freePort(), this.registryPort));
		this.pythonPort = AppProcess.freePort();
		this.pythonId = "127.0.0.1:" + this.pythonPort;
		int proxyPort = AppProcess.freePort();
		List<String> args = new ArrayList<>(List.of("--beacon.sidecar.service-name=payment-service",
				"--beacon.sidecar.app-port=" + this.pythonPort,
				"--beacon.sidecar.health-url=http://127.0.0.1:" + this.pythonPort + "/health",
				"--beacon.sidecar.probe-interval=" + PROBE_INTERVAL.toMillis() + "ms",
				"--beacon.sidecar.probe-timeout=" + PROBE_TIMEOUT.toMillis() + "ms",
				"--beacon.sidecar.unhealthy-threshold=" + UNHEALTHY_THRESHOLD, "--beacon.sidecar.healthy-threshold=2",
				"--beacon.sidecar.proxy-port=" + proxyPort, "--beacon.sidecar.drain-delay=1s",
				"--beacon.sidecar.metadata.language=python",
				"--beacon.client.registry-url=http://127.0.0.1:" + this.registryPort, "--beacon.client.lease-ttl=3s"));
		List<String> command = List.of(PYTHON.toString(), APP.toString(), "--port", Integer.toString(this.pythonPort));
		for (int i = 0; i < command.size(); i++) {
			args.add("--beacon.sidecar.command[" + i + "]=" + command.get(i));
		}
		this.sidecar = track(AppProcess.start("sidecar", AppProcess.SIDECAR_JAR, proxyPort, args));
		this.javaPayment.awaitHealthy();
		this.order.awaitHealthy();
	}

	@AfterAll
	void stopStack() {
		List<AppProcess> reversed = new ArrayList<>(this.processes);
		Collections.reverse(reversed);
		reversed.forEach(AppProcess::close);
	}

	@Test
	@Order(1)
	void sidecarRegistersThePythonAppAndTheOrderServiceSendsItOrders() throws Exception {
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
			assertThat(this.sidecar.isAlive()).as("the sidecar is running; see " + AppProcess.LOGS).isTrue();
			return "UP".equals(pythonStatus());
		});
		await().atMost(Duration.ofSeconds(60)).until(() -> "UP".equals(
				Http.status(this.registryPort, "payment-service", this.javaPayment.instanceId())));

		try (OrderLoad load = new OrderLoad(this.order.port(), 20, 400)) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> load.served(this.pythonId) >= 5 && load.served(this.javaPayment.instanceId()) >= 5);
			load.close();
			report("python app found", Map.of("orders", load.completed(), "failed", load.failures.size(), "servedBy",
					load.servedBy.toString()));
			assertThat(load.failures).as("failed orders").isEmpty();
		}
	}

	@Test
	@Order(2)
	void pythonAppPaysThroughTheSidecarProxyByServiceName() {
		Set<String> servedBy = new HashSet<>();
		for (int i = 0; i < 6; i++) {
			HttpResponse<String> response = Http.post(this.pythonPort, "/relay/payments",
					"{\"orderId\":\"relay-" + i + "\",\"amount\":2.50}");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
			servedBy.add(Http.json(response).get("servedBy").stringValue());
		}
		// round-robin over both replicas, the Java one included
		assertThat(servedBy).containsExactlyInAnyOrder(this.javaPayment.instanceId(), this.pythonId);
	}

	@Test
	@Order(3)
	void stoppedPythonAppIsReportedDownWithinTheThresholdAndUpWhenItContinues() throws Exception {
		long pid = Http.json(Http.get(this.pythonPort, "/health")).get("pid").longValue();
		long stoppedAt = System.nanoTime();
		signal("STOP", pid);
		try {
			// 3 probes that each time out, 500 ms apart, plus slack for a loaded machine
			Duration threshold = PROBE_INTERVAL.plus(PROBE_TIMEOUT).multipliedBy(UNHEALTHY_THRESHOLD);
			await().atMost(threshold.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
				.until(() -> "DOWN".equals(pythonStatus()));
		}
		finally {
			signal("CONT", pid);
		}
		double downAfter = seconds(stoppedAt);
		long continuedAt = System.nanoTime();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
			.until(() -> "UP".equals(pythonStatus()));
		double upAfter = seconds(continuedAt);
		report("python app stopped and continued", Map.of("downAfterSigstop_s", round(downAfter),
				"upAfterSigcont_s", round(upAfter)));
	}

	@Test
	@Order(4)
	void sigtermOfTheSidecarDrainsThePythonAppWithNoFailedOrder() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(pythonStatus()));
		await().atMost(Duration.ofSeconds(10)).until(() -> upInOrdersView(this.pythonId));
		try (OrderLoad load = new OrderLoad(this.order.port(), 20, 1_000)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> load.served(this.pythonId) >= 10
					&& load.served(this.javaPayment.instanceId()) >= 10);
			long terminatedAt = System.nanoTime();
			AppProcess stopping = this.sidecar;
			CompletableFuture<Void> exited = CompletableFuture.runAsync(() -> terminate(stopping));
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
				.until(() -> !upInOrdersView(this.pythonId));
			double goneFromOrderViewAfter = seconds(terminatedAt);
			exited.get(60, TimeUnit.SECONDS);
			double sidecarExitedAfter = seconds(terminatedAt);
			assertThat(pythonStatus()).as("deregistered").isNull();
			assertThat(pythonAnswers()).as("the Python app got SIGTERM after the drain and exited").isFalse();
			int sofar = load.completed();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= sofar + 40);
			load.close();
			report("sidecar SIGTERM", Map.of("orders", load.completed(), "failed", load.failures.size(),
					"goneFromOrderViewAfterSigterm_s", round(goneFromOrderViewAfter), "sidecarExitedAfterSigterm_s",
					round(sidecarExitedAfter), "servedBy", load.servedBy.toString()));
			assertThat(load.failures).as("failed orders").isEmpty();
		}
	}

	private static void terminate(AppProcess process) {
		try {
			process.terminate(Duration.ofSeconds(60));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean upInOrdersView(String instanceId) {
		JsonNode services = Http.json(Http.get(this.order.port(), "/actuator/beacon")).get("services");
		for (JsonNode instance : services.path("payment-service")) {
			if (instance.get("instanceId").stringValue().equals(instanceId)) {
				return "UP".equals(instance.get("status").stringValue());
			}
		}
		return false;
	}

	private String pythonStatus() {
		return Http.status(this.registryPort, "payment-service", this.pythonId);
	}

	private boolean pythonAnswers() {
		try {
			return Http.get(this.pythonPort, "/health").statusCode() == 200;
		}
		catch (IllegalStateException refused) {
			return false;
		}
	}

	private static void signal(String name, long pid) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(kill.exitValue()).as("kill -" + name + " " + pid).isZero();
	}

	private AppProcess track(AppProcess process) {
		this.processes.add(process);
		return process;
	}


	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

	private static String round(double value) {
		return String.format("%.2f", value);
	}

	private static void report(String scenario, Map<String, Object> figures) {
		System.out.println("[system-test] sidecar, " + scenario + ": " + new TreeMap<>(figures));
	}

}
