package io.beacon.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.testing.TcpProxy;
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
 * A crashed process leaves every view as soon as the kernel closes its lease stream (issue 14):
 * real JVMs on loopback, 3 s leases as in {@link FaultToleranceIT}, orders at 50 per second. The
 * test holds a watch stream on the registry and times each change as a watcher receives it, and
 * polls the order service's {@code /actuator/beacon} view every 15 ms.
 * <p>
 * Scenarios: 20 SIGKILLs of payment instances (each replaced, so that 2-3 stay UP), the same for
 * instances with the lease stream turned off (the lease lapse is then the only signal), a SIGSTOP
 * (the socket stays open: DOWN at the lease lapse), and a proxy between one instance and the
 * registry that drops its connections for 100 ms (less than the 250 ms grace: nothing happens) and
 * for 2 s (DOWN, then UP when it reconnects). Timings are printed, never asserted: the machine is
 * shared; the causes and the orders are asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseStreamIT {

	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final int KILLS = 20;

	private static final int KILLS_WITHOUT_STREAM = 3;

	/** Payment instances the kills rotate through: 2-3 of them UP at every kill. */
	private static final int ROTATION = 4;

	private static final Duration VIEW_POLL = Duration.ofMillis(15);

	private static final String SERVICE = "payment-service";

	private final List<AppProcess> processes = new ArrayList<>();

	/** Oldest first: the victim is the one that has held its lease stream longest. */
	private final List<AppProcess> rotation = new ArrayList<>();

	private final List<AppProcess> withoutStream = new ArrayList<>();

	private int registryPort;

	private AppProcess order;

	private TcpProxy proxy;

	private AppProcess proxied;

	private WatchRecorder watch;

	private int started;

	@BeforeAll
	void startStack() {
		this.registryPort = AppProcess.freePort();
		AppProcess registry = track(AppProcess.registry(this.registryPort));
		registry.awaitHealthy();
		this.watch = new WatchRecorder(this.registryPort, SERVICE);
		for (int i = 0; i < ROTATION; i++) {
			this.rotation.add(track(newPayment(this.registryPort, i > 1)));
		}
		this.order = track(AppProcess.order(AppProcess.freePort(), this.registryPort));
		this.proxy = new TcpProxy(this.registryPort);
		this.proxied = track(newPayment(this.proxy.port(), true));
		for (int i = 0; i < KILLS_WITHOUT_STREAM; i++) {
			this.withoutStream.add(track(newPayment(this.registryPort, true, "--beacon.client.lease-stream.enabled=false")));
		}
		this.processes.forEach(AppProcess::awaitHealthy);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.processes.stream()
				.filter((process) -> process != registry && process != this.order)
				.allMatch((payment) -> "UP".equals(Http.status(this.registryPort, SERVICE, payment.instanceId()))));
		// an order makes order-service look up payment-service (once) and watch it
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Http.post(this.order.port(), "/orders", "{\"item\":\"warm-up\",\"amount\":1}")
				.statusCode() == 201);
	}

	@AfterAll
	void stopStack() {
		if (this.watch != null) {
			this.watch.close();
		}
		List<AppProcess> reversed = new ArrayList<>(this.processes);
		Collections.reverse(reversed);
		reversed.forEach(AppProcess::close);
		// after the processes: the proxied instance deregisters through it on its way down
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	@Test
	@Order(1)
	void sigkilledInstancesLeaveEveryViewWhenTheirConnectionCloses() throws Exception {
		Latencies down = new Latencies();
		Latencies gone = new Latencies();
		List<String> causes = new ArrayList<>();
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 20_000)) {
			for (int i = 0; i < KILLS; i++) {
				await().atMost(Duration.ofSeconds(120)).until(() -> upInRotation().size() >= 3);
				AppProcess victim = upInRotation().get(0);
				await().atMost(Duration.ofSeconds(30)).until(() -> holdsLeaseStream(victim));
				Kill kill = killAndMeasure(victim);
				down.add(kill.killedAt, kill.down.receivedAt());
				gone.add(kill.killedAt, kill.goneFromView);
				causes.add(kill.down.cause());
				this.rotation.remove(victim);
				this.rotation.add(track(newPayment(this.registryPort, true)));
			}
			int sofar = load.completed();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= sofar + 50);
			load.close();
			report("lease stream: " + KILLS + " SIGKILLs", Map.of("orders", load.completed(), "failed",
					load.failures.size(), "downInRegistryAfterKill", down.summary(), "goneFromOrderViewAfterKill",
					gone.summary(), "causes", causes.toString()));
			assertThat(load.failures).as("failed orders").isEmpty();
		}
		assertThat(causes).as("the cause of each DOWN").hasSize(KILLS).containsOnly("connection_lost");
	}

	@Test
	@Order(2)
	void withoutTheLeaseStreamASigkillIsNoticedAtTheLeaseLapse() throws Exception {
		Latencies down = new Latencies();
		Latencies gone = new Latencies();
		List<String> causes = new ArrayList<>();
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 5_000)) {
			for (AppProcess victim : this.withoutStream) {
				await().atMost(Duration.ofSeconds(60)).until(() -> upInOrdersView(victim.instanceId()));
				assertThat(holdsLeaseStream(victim)).as("lease stream of " + victim.name()).isFalse();
				Kill kill = killAndMeasure(victim);
				down.add(kill.killedAt, kill.down.receivedAt());
				gone.add(kill.killedAt, kill.goneFromView);
				causes.add(kill.down.cause());
			}
			load.close();
			report("no lease stream: " + KILLS_WITHOUT_STREAM + " SIGKILLs", Map.of("orders", load.completed(),
					"failed", load.failures.size(), "downInRegistryAfterKill", down.summary(),
					"goneFromOrderViewAfterKill", gone.summary(), "causes", causes.toString()));
			assertThat(load.failures).as("failed orders").isEmpty();
		}
		assertThat(causes).as("the cause of each DOWN").containsOnly("lease_lapsed");
	}

	@Test
	@Order(3)
	void aStoppedProcessKeepsItsSocketAndIsDownOnlyAtTheLeaseLapse() {
		await().atMost(Duration.ofSeconds(120)).until(() -> !upInRotation().isEmpty());
		AppProcess victim = upInRotation().get(0);
		// its socket is open while it hangs: the registry must not take the silence for a crash
		await().atMost(Duration.ofSeconds(30)).until(() -> holdsLeaseStream(victim));
		long stoppedAt = System.nanoTime();
		victim.pause();
		WatchRecorder.Event down;
		long continuedAt;
		try {
			down = awaitDown(victim.instanceId(), stoppedAt);
		}
		finally {
			continuedAt = System.nanoTime();
			victim.resume();
		}
		WatchRecorder.Event up = await().atMost(Duration.ofSeconds(30))
			.until(() -> firstUp(victim.instanceId(), continuedAt), Optional::isPresent)
			.get();
		report("SIGSTOP, then SIGCONT", Map.of("downAfterSigstop_ms", millis(stoppedAt, down.receivedAt()),
				"downCause", down.cause(), "upAfterSigcont_ms", millis(continuedAt, up.receivedAt()), "upCause",
				up.cause()));
		assertThat(down.cause()).isEqualTo("lease_lapsed");
		assertThat(this.watch.of(victim.instanceId()))
			.filteredOn((event) -> event.receivedAt() >= stoppedAt)
			.extracting(WatchRecorder.Event::cause)
			.doesNotContain("connection_lost");
		assertThat(up.cause()).isEqualTo("heartbeat_resumed");
	}

	@Test
	@Order(4)
	void connectionsDroppedForLessThanTheGraceMarkNothing() throws Exception {
		String id = this.proxied.instanceId();
		await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(Http.status(this.registryPort, SERVICE, id)));
		await().atMost(Duration.ofSeconds(30)).until(() -> holdsLeaseStream(this.proxied));
		long cutAt = System.nanoTime();
		this.proxy.cut();
		TimeUnit.MILLISECONDS.sleep(100);
		this.proxy.restore();
		// the 250 ms grace and any reopen backoff are long over after 3 s: nothing may have changed by then
		await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(this.watch::isOpen);
		List<String> changes = this.watch.of(id)
			.stream()
			.filter((event) -> event.receivedAt() >= cutAt)
			.map((event) -> event.type() + "/" + event.cause())
			.toList();
		report("proxy cut for 100 ms", Map.of("changesSeen", changes.toString()));
		assertThat(changes).as("changes of %s after its connections were cut for 100 ms", id).isEmpty();
		assertThat(Http.status(this.registryPort, SERVICE, id)).isEqualTo("UP");
	}

	@Test
	@Order(5)
	void connectionsDroppedForTwoSecondsMarkDownThenUpOnReconnect() throws Exception {
		String id = this.proxied.instanceId();
		await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(Http.status(this.registryPort, SERVICE, id)));
		await().atMost(Duration.ofSeconds(30)).until(() -> holdsLeaseStream(this.proxied));
		long cutAt = System.nanoTime();
		this.proxy.cut();
		TimeUnit.SECONDS.sleep(2);
		this.proxy.restore();
		long restoredAt = System.nanoTime();
		WatchRecorder.Event down = awaitDown(id, cutAt);
		WatchRecorder.Event up = await().atMost(Duration.ofSeconds(30))
			.until(() -> firstUp(id, down.receivedAt()), Optional::isPresent)
			.get();
		report("proxy cut for 2 s", Map.of("downAfterCut_ms", millis(cutAt, down.receivedAt()), "downCause",
				down.cause(), "upAfterRestore_ms", millis(restoredAt, up.receivedAt()), "upCause", up.cause()));
		assertThat(down.cause()).isEqualTo("connection_lost");
		assertThat(up.cause()).isEqualTo("heartbeat_resumed");
		assertThat(Http.status(this.registryPort, SERVICE, id)).isEqualTo("UP");
		await().atMost(Duration.ofSeconds(30)).until(() -> holdsLeaseStream(this.proxied));
	}

	@Test
	@Order(6)
	void anInstanceWhoseHealthGroupTurnsDownLeavesTheViewWithoutFailedOrdersAndReturns() throws Exception {
		await().atMost(Duration.ofSeconds(120)).until(() -> upInRotation().size() >= 2);
		AppProcess sick = upInRotation().get(0);
		String id = sick.instanceId();
		long sickAt;
		long goneFromView;
		long wellAt;
		long backInView;
		try (OrderLoad load = new OrderLoad(this.order.port(), 50, 10_000)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.completed() >= 25);
			sickAt = System.nanoTime();
			setDemoHealth(sick, "DOWN");
			await().atMost(Duration.ofSeconds(20)).pollInterval(VIEW_POLL).until(() -> !upInOrdersView(id));
			goneFromView = System.nanoTime();
			int before = load.completed();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.completed() >= before + 50);
			wellAt = System.nanoTime();
			setDemoHealth(sick, "UP");
			await().atMost(Duration.ofSeconds(20)).pollInterval(VIEW_POLL).until(() -> upInOrdersView(id));
			backInView = System.nanoTime();
			load.close();
			report("health group DOWN, then UP (heartbeat interval 1 s)", Map.of("orders", load.completed(), "failed",
					load.failures.size(), "goneFromOrderViewAfterDown_ms", millis(sickAt, goneFromView),
					"backInOrderViewAfterUp_ms", millis(wellAt, backInView)));
			assertThat(load.failures).as("failed orders").isEmpty();
		}
		WatchRecorder.Event down = awaitDown(id, sickAt);
		assertThat(down.cause()).isEqualTo("health_down");
		assertThat(firstUp(id, wellAt)).get().extracting(WatchRecorder.Event::cause).isEqualTo("health_restored");
		assertThat(sick.isAlive()).isTrue();
	}

	private static void setDemoHealth(AppProcess app, String status) {
		assertThat(Http.post(app.port(), "/actuator/demohealth", "{\"status\":\"" + status + "\"}").statusCode())
			.as("POST /actuator/demohealth " + status)
			.isEqualTo(200);
	}

	/** SIGKILLs {@code victim}, then times its DOWN on the watch and its leaving the order service's view. */
	private Kill killAndMeasure(AppProcess victim) throws InterruptedException {
		long killedAt = System.nanoTime();
		victim.kill();
		await().atMost(LEASE.plusSeconds(20))
			.pollDelay(Duration.ZERO)
			.pollInterval(VIEW_POLL)
			.until(() -> !upInOrdersView(victim.instanceId()));
		long goneFromView = System.nanoTime();
		return new Kill(killedAt, goneFromView, awaitDown(victim.instanceId(), killedAt));
	}

	private WatchRecorder.Event awaitDown(String instanceId, long since) {
		return await().atMost(LEASE.plusSeconds(20))
			.until(() -> this.watch.firstDown(instanceId, since), Optional::isPresent)
			.get();
	}

	private Optional<WatchRecorder.Event> firstUp(String instanceId, long since) {
		return this.watch.of(instanceId)
			.stream()
			.filter((event) -> event.receivedAt() >= since && "UP".equals(event.status()))
			.findFirst();
	}

	/** The rotation's live instances that the order service sees UP, oldest first. */
	private List<AppProcess> upInRotation() {
		return this.rotation.stream()
			.filter(AppProcess::isAlive)
			.filter((payment) -> upInOrdersView(payment.instanceId()))
			.toList();
	}

	private AppProcess newPayment(int registryPort, boolean background, String... extra) {
		return AppProcess.payment("lease-payment-" + (++this.started), AppProcess.freePort(), registryPort,
				background, extra);
	}

	private AppProcess track(AppProcess process) {
		this.processes.add(process);
		return process;
	}


	/** Whether the app's starter says the registry has bound it to an open lease stream. */
	private static boolean holdsLeaseStream(AppProcess app) {
		JsonNode held = Http.json(Http.get(app.port(), "/actuator/beacon")).get("leaseStreamHeld");
		return held != null && held.isBoolean() && held.booleanValue();
	}

	private boolean upInOrdersView(String instanceId) {
		JsonNode view = Http.json(Http.get(this.order.port(), "/actuator/beacon"));
		for (JsonNode instance : view.get("services").path(SERVICE)) {
			if (instance.get("instanceId").stringValue().equals(instanceId)) {
				return "UP".equals(instance.get("status").stringValue());
			}
		}
		return false;
	}

	private static long millis(long since, long until) {
		return (until - since) / 1_000_000;
	}

	private static void report(String scenario, Map<String, Object> figures) {
		System.out.println("[system-test] " + scenario + ": " + new TreeMap<>(figures));
	}

	private record Kill(long killedAt, long goneFromView, WatchRecorder.Event down) {
	}

}
