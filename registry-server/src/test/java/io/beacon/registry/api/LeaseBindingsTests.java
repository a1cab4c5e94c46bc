package io.beacon.registry.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.RecordingListener;
import io.beacon.registry.core.Registry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How lease streams bind an instance's liveness, on the memory store, with grace timers the test
 * fires and a clock it moves.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeaseBindingsTests {

	private static final Duration GRACE = Duration.ofMillis(250);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final Registry registry = new Registry(this.clock, this.clock, 100);

	private final List<FutureTask<Void>> timers = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final RecordingListener watcher = new RecordingListener();

	private boolean stopping;

	private LeaseBindings bindings;

	@BeforeEach
	void bind() {
		this.bindings = new LeaseBindings(this.registry, (delay, action) -> {
			if (this.stopping) {
				return null;
			}
			FutureTask<Void> timer = new FutureTask<>(action, null);
			this.timers.add(timer);
			return timer;
		}, this.clock, GRACE, 2, Duration.ofMinutes(1), LeaseStreamMetrics.of(this.meters));
		register("p1");
		this.registry.watch(Set.of(), OptionalLong.of(this.registry.index()), this.watcher);
	}

	@AfterEach
	void close() {
		this.bindings.close();
	}

	private void register(String id) {
		this.registry.register(InstanceRegistration.builder()
			.service("payment")
			.instanceId(id)
			.host("127.0.0.1")
			.port(8080)
			.metadata(Map.of())
			.leaseTtl(Duration.ofSeconds(15))
			.build());
	}

	private LeaseBindings.Stream open(String id, AtomicInteger ends) {
		this.registry.heartbeat("payment", id);
		this.bindings.opening("payment", id);
		LeaseBindings.Stream stream = this.bindings.attach("payment", id, ends::incrementAndGet);
		this.bindings.endIfGone(stream);
		return stream;
	}

	/** The grace passes: every timer not cancelled runs. */
	private void gracePasses() {
		this.clock.advance(GRACE);
		List<FutureTask<Void>> due = new ArrayList<>(this.timers);
		this.timers.clear();
		due.forEach(FutureTask::run);
	}

	private InstanceStatus status() {
		return this.registry.instance("payment", "p1").orElseThrow().status();
	}

	private double counter(String name) {
		return this.meters.get(name).counter().count();
	}

	@Test
	void aStreamClosedAndNotReopenedWithinTheGraceMarksTheInstanceDown() {
		LeaseBindings.Stream stream = open("p1", new AtomicInteger());
		assertThat(this.bindings.openStreams()).isEqualTo(1);
		this.bindings.detach(stream);
		assertThat(status()).isEqualTo(InstanceStatus.UP);
		gracePasses();
		assertThat(status()).isEqualTo(InstanceStatus.DOWN);
		assertThat(this.watcher.causes()).containsExactly(ChangeCause.CONNECTION_LOST);
		assertThat(counter("beacon.registry.lease.connections.lost")).isEqualTo(1);
		assertThat(this.bindings.openStreams()).isZero();
	}

	@Test
	void aStreamReopenedWithinTheGraceMarksNothing() {
		this.bindings.detach(open("p1", new AtomicInteger()));
		open("p1", new AtomicInteger());
		gracePasses();
		assertThat(status()).isEqualTo(InstanceStatus.UP);
		assertThat(this.watcher.causes()).isEmpty();
		assertThat(counter("beacon.registry.lease.connections.lost")).isZero();
	}

	@Test
	void closingOneOfTwoStreamsOfAnInstanceMarksNothing() {
		LeaseBindings.Stream first = open("p1", new AtomicInteger());
		LeaseBindings.Stream second = open("p1", new AtomicInteger());
		this.bindings.detach(first);
		gracePasses();
		assertThat(status()).isEqualTo(InstanceStatus.UP);
		this.bindings.detach(second);
		gracePasses();
		assertThat(status()).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void reopeningAfterTheGraceBringsTheInstanceBack() {
		this.bindings.detach(open("p1", new AtomicInteger()));
		gracePasses();
		open("p1", new AtomicInteger());
		assertThat(status()).isEqualTo(InstanceStatus.UP);
		assertThat(this.watcher.causes()).containsExactly(ChangeCause.CONNECTION_LOST, ChangeCause.HEARTBEAT_RESUMED);
	}

	@Test
	void removingTheInstanceEndsItsStreamsAndTheirCloseIsNoLoss() {
		AtomicInteger ends = new AtomicInteger();
		LeaseBindings.Stream stream = open("p1", ends);
		this.registry.deregister("payment", "p1");
		assertThat(ends).hasValue(1);
		this.bindings.detach(stream);
		assertThat(this.timers).isEmpty();
		assertThat(counter("beacon.registry.lease.connections.lost")).isZero();
	}

	@Test
	void aStreamOpenedForAnInstanceRemovedMeanwhileEndsAtOnce() {
		AtomicInteger ends = new AtomicInteger();
		register("p2");
		this.registry.heartbeat("payment", "p2");
		this.registry.deregister("payment", "p2");
		LeaseBindings.Stream stream = this.bindings.attach("payment", "p2", ends::incrementAndGet);
		this.bindings.endIfGone(stream);
		assertThat(ends).hasValue(1);
	}

	@Test
	void aLossAfterTheInstanceWasRemovedChangesNothing() {
		this.bindings.detach(open("p1", new AtomicInteger()));
		this.registry.deregister("payment", "p1");
		gracePasses();
		assertThat(this.watcher.causes()).containsExactly(ChangeCause.DEREGISTERED);
	}

	@Test
	void endingEveryStreamOnShutdownIsNoLoss() {
		AtomicInteger ends = new AtomicInteger();
		register("p2");
		LeaseBindings.Stream first = open("p1", ends);
		LeaseBindings.Stream second = open("p2", ends);
		this.bindings.endAll();
		assertThat(ends).hasValue(2);
		this.bindings.detach(first);
		this.bindings.detach(second);
		assertThat(this.timers).isEmpty();
		assertThat(this.bindings.openStreams()).isZero();
		assertThat(status()).isEqualTo(InstanceStatus.UP);
		open("p1", ends);
		assertThat(ends).as("a stream opened while stopping ends at once").hasValue(3);
	}

	@Test
	void streamsClosedWhileTheProcessStopsMarkNobodyDown() {
		LeaseBindings.Stream stream = open("p1", new AtomicInteger());
		this.stopping = true;
		this.bindings.detach(stream);
		gracePasses();
		assertThat(status()).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void lossesBeyondTheFlapLimitWithinTheWindowAreCountedAndLoggedButMarkNothing(CapturedOutput output) {
		for (int i = 0; i < 4; i++) {
			this.bindings.detach(open("p1", new AtomicInteger()));
			gracePasses();
		}
		// The third and fourth losses are suppressed: the instance stays UP, so the opens after them revive nothing.
		assertThat(this.watcher.causes()).containsExactly(ChangeCause.CONNECTION_LOST, ChangeCause.HEARTBEAT_RESUMED,
				ChangeCause.CONNECTION_LOST, ChangeCause.HEARTBEAT_RESUMED);
		assertThat(status()).isEqualTo(InstanceStatus.UP);
		assertThat(counter("beacon.registry.lease.connections.lost")).isEqualTo(4);
		assertThat(counter("beacon.registry.lease.flaps.suppressed")).isEqualTo(2);
		assertThat(output.getOut().lines().filter((line) -> line.contains("is flapping"))).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN").contains("payment/p1"));
	}

	@Test
	void aLossAfterTheFlapWindowMarksTheInstanceDownAgain() {
		for (int i = 0; i < 3; i++) {
			this.bindings.detach(open("p1", new AtomicInteger()));
			gracePasses();
		}
		assertThat(status()).isEqualTo(InstanceStatus.UP);
		this.clock.advance(Duration.ofMinutes(1));
		this.bindings.detach(open("p1", new AtomicInteger()));
		gracePasses();
		assertThat(status()).isEqualTo(InstanceStatus.DOWN);
	}

}
