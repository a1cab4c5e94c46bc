package io.beacon.registry.schedule;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The registry process's one scheduler thread: runs every {@link PeriodicTask} from {@link #start()}
 * to {@link #stop()}, which is the only place the thread is made and ended.
 */
public final class RegistryScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RegistryScheduler.class);

	private final List<PeriodicTask> tasks;

	private ScheduledExecutorService executor;

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
		this.executor = Executors.newSingleThreadScheduledExecutor(threads);
		for (PeriodicTask task : this.tasks) {
			long nanos = task.interval().toNanos();
			this.executor.scheduleWithFixedDelay(() -> run(task), nanos, nanos, TimeUnit.NANOSECONDS);
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
