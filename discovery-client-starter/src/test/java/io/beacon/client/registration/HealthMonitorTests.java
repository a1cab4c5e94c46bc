package io.beacon.client.registration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The health monitor's hysteresis, timeout and draining rule, driven tick by tick (the interval is an
 * hour, so only the ticks the test runs happen).
 */
class HealthMonitorTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final Target target = new Target();

	private volatile boolean healthy = true;

	private final AtomicInteger checks = new AtomicInteger();

	private final HealthMonitor monitor = new HealthMonitor(() -> {
		this.checks.incrementAndGet();
		return this.healthy;
	}, "test", this.target, this.scheduler, Duration.ofHours(1), 2, Duration.ofSeconds(30));

	@AfterEach
	void stop() {
		this.monitor.stop();
		this.scheduler.shutdownNow();
	}

	@Test
	void thresholdUnhealthyChecksInARowReportUnhealthyOnce() {
		this.monitor.start();
		this.healthy = false;
		tick(this.monitor);
		assertThat(this.target.reports).isEmpty();
		tick(this.monitor);
		assertThat(this.target.reports).containsExactly(false);
		tick(this.monitor);
		tick(this.monitor);
		assertThat(this.target.reports).containsExactly(false);
	}

	@Test
	void aHealthyCheckInBetweenStartsTheStreakOver() {
		this.monitor.start();
		this.healthy = false;
		tick(this.monitor);
		this.healthy = true;
		tick(this.monitor);
		this.healthy = false;
		tick(this.monitor);
		assertThat(this.target.reports).isEmpty();
	}

	@Test
	void healthyAgainForTheThresholdReportsHealthy() {
		this.monitor.start();
		this.healthy = false;
		tick(this.monitor);
		tick(this.monitor);
		this.healthy = true;
		tick(this.monitor);
		assertThat(this.target.reports).containsExactly(false);
		tick(this.monitor);
		assertThat(this.target.reports).containsExactly(false, true);
	}

	@Test
	void nothingIsCheckedOrReportedWhileHealthDoesNotApply() {
		this.monitor.start();
		this.healthy = false;
		tick(this.monitor);
		this.target.applies = false;
		this.monitor.checkNow();
		this.monitor.checkNow();
		this.target.applies = true;
		tick(this.monitor);
		assertThat(this.target.reports).isEmpty();
		assertThat(this.checks).hasValue(2);
	}

	@Test
	void aCheckThatThrowsCountsAsUnhealthy() {
		HealthMonitor throwing = new HealthMonitor(() -> {
			throw new IllegalStateException("broken indicator");
		}, "throwing", this.target, this.scheduler, Duration.ofHours(1), 1, Duration.ofSeconds(30));
		throwing.start();
		try {
			throwing.checkNow();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.target.reports.equals(List.of(false)));
		}
		finally {
			throwing.stop();
		}
	}

	@Test
	void aHangingCheckCountsAsUnhealthyAfterTheTimeoutAndAgainWhileItStillHangs() {
		CountDownLatch release = new CountDownLatch(1);
		HealthMonitor hanging = new HealthMonitor(() -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return true;
		}, "hanging", this.target, this.scheduler, Duration.ofHours(1), 2, Duration.ofMillis(50));
		hanging.start();
		try {
			hanging.checkNow();
			// the second tick finds the first check still hanging: unhealthy without starting another
			await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(100)).until(() -> {
				hanging.checkNow();
				return !this.target.reports.isEmpty();
			});
			assertThat(this.target.reports).containsExactly(false);
		}
		finally {
			release.countDown();
			hanging.stop();
		}
	}

	@Test
	void aThresholdBelowOneIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HealthMonitor(() -> true, "x", this.target, this.scheduler, Duration.ofSeconds(1), 0,
					Duration.ofSeconds(1)))
			.withMessageContaining("threshold must be at least 1 (got 0)");
	}

	/** Runs a tick and waits until its check has been recorded. */
	private void tick(HealthMonitor monitor) {
		int before = this.checks.get();
		monitor.checkNow();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.checks.get() > before && this.target.settled(monitor));
	}

	private static final class Target implements HealthDrivenStatus {

		private final List<Boolean> reports = new CopyOnWriteArrayList<>();

		private volatile boolean applies = true;

		@Override
		public boolean healthApplies() {
			return this.applies;
		}

		@Override
		public void reportHealth(boolean healthy) {
			this.reports.add(healthy);
		}

		/** The monitor records under its lock: taking it means the last result is recorded. */
		boolean settled(HealthMonitor monitor) {
			synchronized (monitor) {
				return !monitor.isCheckRunning();
			}
		}

	}

}
