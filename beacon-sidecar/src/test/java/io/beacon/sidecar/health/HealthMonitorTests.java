package io.beacon.sidecar.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.client.InstanceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor on virtual time: probes every 500 ms after the previous one ended, each allowed
 * 500 ms; DOWN after 3 unhealthy probes in a row, UP again after 2 healthy ones.
 */
class HealthMonitorTests {

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final FakeProbe probe = new FakeProbe();

	private final HealthMonitor monitor = new HealthMonitor(this.probe, new HealthTracker(2, 3), INTERVAL, TIMEOUT,
			this.time);

	private final List<InstanceStatus> reported = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.monitor.stop();
		this.time.dispose();
	}

	@Test
	void firstHealthyProbeReportsUp() {
		this.probe.answer = Mono.just(false);
		this.monitor.start(this.reported::add);
		advance(Duration.ofSeconds(5));
		assertThat(this.reported).isEmpty();
		assertThat(this.monitor.status()).isEqualTo(InstanceStatus.STARTING);

		this.probe.answer = Mono.just(true);
		advance(INTERVAL);
		assertThat(this.reported).containsExactly(InstanceStatus.UP);
	}

	@Test
	void hungAppIsReportedDownAfterThreeTimedOutProbesAndNotBefore() {
		this.monitor.start(this.reported::add);
		assertThat(this.reported).containsExactly(InstanceStatus.UP);

		this.probe.answer = Mono.never();
		// probes start at 0.5 s, 1.5 s and 2.5 s; each times out 0.5 s later
		advance(Duration.ofMillis(2999));
		assertThat(this.reported).containsExactly(InstanceStatus.UP);
		advance(Duration.ofMillis(1));
		assertThat(this.reported).containsExactly(InstanceStatus.UP, InstanceStatus.DOWN);
	}

	@Test
	void oneSlowProbeBetweenHealthyOnesDoesNotFlap() {
		this.monitor.start(this.reported::add);
		this.probe.answer = Mono.never();
		advance(INTERVAL.plus(TIMEOUT));
		this.probe.answer = Mono.just(true);
		advance(Duration.ofSeconds(10));
		this.probe.answer = Mono.delay(TIMEOUT.plusMillis(1), this.time).thenReturn(true);
		advance(INTERVAL.plus(TIMEOUT));
		this.probe.answer = Mono.just(true);
		advance(Duration.ofSeconds(10));

		assertThat(this.probe.checks.get()).isGreaterThan(20);
		assertThat(this.reported).containsExactly(InstanceStatus.UP);
	}

	@Test
	void downAppIsReportedUpAfterTwoHealthyProbes() {
		this.monitor.start(this.reported::add);
		this.probe.answer = Mono.just(false);
		advance(Duration.ofSeconds(3));
		assertThat(this.reported).containsExactly(InstanceStatus.UP, InstanceStatus.DOWN);

		this.probe.answer = Mono.just(true);
		advance(INTERVAL);
		assertThat(this.reported).containsExactly(InstanceStatus.UP, InstanceStatus.DOWN);
		advance(INTERVAL);
		assertThat(this.reported).containsExactly(InstanceStatus.UP, InstanceStatus.DOWN, InstanceStatus.UP);
	}

	@Test
	void failingProbeCountsAsUnhealthy() {
		this.monitor.start(this.reported::add);
		this.probe.answer = Mono.error(new java.net.ConnectException("Connection refused"));
		advance(Duration.ofSeconds(3));
		assertThat(this.reported).containsExactly(InstanceStatus.UP, InstanceStatus.DOWN);
	}

	@Test
	void probesNeverOverlapEvenWhenTheyHang() {
		this.monitor.start(this.reported::add);
		this.probe.answer = Mono.never();
		advance(Duration.ofSeconds(30));
		assertThat(this.probe.maxInFlight.get()).isEqualTo(1);
		// one probe per interval + timeout, after the first
		assertThat(this.probe.checks.get()).isEqualTo(1 + 30);
	}

	@Test
	void stoppedMonitorProbesNoMore() {
		this.monitor.start(this.reported::add);
		advance(Duration.ofSeconds(2));
		this.monitor.stop();
		int checks = this.probe.checks.get();
		advance(Duration.ofSeconds(10));
		assertThat(this.probe.checks.get()).isEqualTo(checks);
	}

	private void advance(Duration duration) {
		this.time.advanceTimeBy(duration);
	}

	/** Answers what the test sets; counts checks and how many run at once. */
	private static final class FakeProbe implements HealthProbe {

		volatile Mono<Boolean> answer = Mono.just(true);

		final AtomicInteger checks = new AtomicInteger();

		final AtomicInteger inFlight = new AtomicInteger();

		final AtomicInteger maxInFlight = new AtomicInteger();

		@Override
		public Mono<Boolean> check() {
			return this.answer.doOnSubscribe((subscription) -> {
				this.checks.incrementAndGet();
				this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
			}).doFinally((signal) -> this.inFlight.decrementAndGet());
		}

	}

}
