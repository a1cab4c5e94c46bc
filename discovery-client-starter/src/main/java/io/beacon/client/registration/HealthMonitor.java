package io.beacon.client.registration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the application's own health into the status it reports, with hysteresis: {@code threshold}
 * unhealthy checks in a row report it unhealthy, as many healthy ones in a row report it healthy
 * again, so one slow or failed check changes nothing. A check that throws, or that has not answered
 * within the timeout (or still hangs at the next interval), counts as unhealthy. Nothing is checked
 * or reported while health does not apply (starting, draining), and a streak starts over then.
 * <p>
 * Ticks run on the shared scheduler (given, not owned); the check itself runs on one thread owned
 * here, started in {@link #start()} and stopped in {@link #stop()}, so a hanging check never holds a
 * scheduler thread.
 */
public final class HealthMonitor {

	private static final Logger logger = LoggerFactory.getLogger(HealthMonitor.class);

	private final HealthCheck check;

	private final String description;

	private final HealthDrivenStatus target;

	private final ScheduledExecutorService scheduler;

	private final Duration interval;

	private final int threshold;

	private final Duration timeout;

	private ExecutorService checks;

	private ScheduledFuture<?> ticks;

	private volatile boolean checkRunning;

	/** What was last reported; healthy until a streak of unhealthy checks says otherwise. */
	private boolean healthy = true;

	/** Checks in a row that disagree with {@link #healthy}. */
	private int streak;

	/**
	 * @param check the health check
	 * @param description names the check in log lines (e.g. the health group)
	 * @param target the status health drives
	 * @param scheduler the shared scheduler the ticks run on (not owned)
	 * @param interval time between checks
	 * @param threshold checks in a row that change the reported health
	 * @param timeout time a check may take before it counts as unhealthy (at most the interval)
	 */
	public HealthMonitor(HealthCheck check, String description, HealthDrivenStatus target,
			ScheduledExecutorService scheduler, Duration interval, int threshold, Duration timeout) {
		if (threshold < 1) {
			throw new IllegalArgumentException("threshold must be at least 1 (got " + threshold + ")");
		}
		this.check = check;
		this.description = description;
		this.target = target;
		this.scheduler = scheduler;
		this.interval = interval;
		this.threshold = threshold;
		this.timeout = (timeout.compareTo(interval) < 0) ? timeout : interval;
	}

	public synchronized void start() {
		if (this.checks != null) {
			return;
		}
		this.checks = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "beacon-health-check");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		try {
			this.ticks = this.scheduler.scheduleWithFixedDelay(this::checkNow, millis, millis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the scheduler is shut down: the application is stopping
		}
	}

	public synchronized void stop() {
		if (this.ticks != null) {
			this.ticks.cancel(false);
		}
		if (this.checks != null) {
			this.checks.shutdownNow();
		}
	}

	/** Runs one check now (a tick); its result is recorded when it answers or times out. */
	void checkNow() {
		if (!this.target.healthApplies()) {
			restartStreak();
			return;
		}
		if (this.checkRunning) {
			logger.debug("Health check {} still running since the last interval: counts as unhealthy",
					this.description);
			record(false);
			return;
		}
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		try {
			this.checkRunning = true;
			this.checks.execute(() -> {
				try {
					result.complete(this.check.isHealthy());
				}
				catch (RuntimeException ex) {
					logger.debug("Health check {} failed: {}", this.description, ex.toString());
					result.complete(false);
				}
				finally {
					this.checkRunning = false;
				}
			});
			ScheduledFuture<?> timer = this.scheduler.schedule(() -> {
				if (result.complete(false)) {
					logger.debug("Health check {} did not answer within {}: counts as unhealthy", this.description,
							this.timeout);
				}
			}, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			result.thenAccept((ok) -> {
				timer.cancel(false);
				record(ok);
			});
		}
		catch (RejectedExecutionException ex) {
			// stopped meanwhile: nothing to report
			this.checkRunning = false;
		}
	}

	/** Whether a check is running now (tests wait for it to end). */
	boolean isCheckRunning() {
		return this.checkRunning;
	}

	private synchronized void restartStreak() {
		this.streak = 0;
	}

	private synchronized void record(boolean ok) {
		if (!this.target.healthApplies()) {
			this.streak = 0;
			return;
		}
		if (ok == this.healthy) {
			this.streak = 0;
			return;
		}
		this.streak++;
		if (this.streak < this.threshold) {
			return;
		}
		this.healthy = ok;
		this.streak = 0;
		if (ok) {
			logger.info("Health {} passed {} checks in a row: reporting this instance UP again", this.description,
					this.threshold);
		}
		else {
			logger.warn("Health {} failed {} checks in a row: reporting this instance DOWN", this.description,
					this.threshold);
		}
		this.target.reportHealth(ok);
	}

}
