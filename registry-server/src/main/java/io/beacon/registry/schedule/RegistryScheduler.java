package io.beacon.registry.schedule;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The registry process's one scheduler thread: runs every {@link PeriodicTask} from {@link #start()}
 * to {@link #stop()}, which is the only place the thread is made and ended, and one-off actions
 * given to {@link #runOnce(Duration, Runnable)} in between.
 */
public final class RegistryScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RegistryScheduler.class);

	private final List<PeriodicTask> tasks;

	private ScheduledThreadPoolExecutor executor;

	public RegistryScheduler(List<PeriodicTask> tasks) {
		this.tasks = List.copyOf(tasks);
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory("beacon-registry-scheduler-");
		threads.setDaemon(true);
		this.executor = new ScheduledThreadPoolExecutor(1, threads);
		// One-off actions are often cancelled (a lease stream reopened within its grace): drop them at once.
		this.executor.setRemoveOnCancelPolicy(true);
		for (PeriodicTask task : this.tasks) {
			long nanos = task.interval().toNanos();
			this.executor.scheduleWithFixedDelay(() -> run(task), nanos, nanos, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Runs {@code action} once after {@code delay} on the scheduler thread; like a periodic task it
	 * must not block for long.
	 * @return a handle to cancel it, or {@code null} when the scheduler is not running (the process
	 * is starting or stopping), in which case the action never runs
	 */
	public synchronized Future<?> runOnce(Duration delay, Runnable action) {
		if (this.executor == null) {
			return null;
		}
		try {
			return this.executor.schedule(() -> run(new PeriodicTask("one-off", delay, action)), delay.toNanos(),
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	private static void run(PeriodicTask task) {
		try {
			task.action().run();
		}
		catch (RuntimeException ex) {
			// Keep the task scheduled: an exception would cancel it for good.
			logger.error("Periodic task '{}' failed", task.name(), ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/** The tasks it runs. */
	public List<PeriodicTask> tasks() {
		return this.tasks;
	}

}
