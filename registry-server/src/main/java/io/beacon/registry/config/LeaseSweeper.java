package io.beacon.registry.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs {@link Registry#expireLeases()} at a fixed, short interval on a thread it owns.
 */
public class LeaseSweeper implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LeaseSweeper.class);

	private final Registry registry;

	private final Duration interval;

	private ScheduledExecutorService scheduler;

	public LeaseSweeper(Registry registry, Duration interval) {
		this.registry = registry;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory("beacon-lease-sweeper-");
		threads.setDaemon(true);
		this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
		long millis = this.interval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
	}

	private void sweep() {
		try {
			this.registry.expireLeases();
		}
		catch (RuntimeException ex) {
			// Keep sweeping: an exception would cancel the scheduled task for good.
			logger.error("Lease sweep failed", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

}
