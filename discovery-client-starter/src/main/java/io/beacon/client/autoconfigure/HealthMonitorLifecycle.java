package io.beacon.client.autoconfigure;

import io.beacon.client.registration.HealthMonitor;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the health monitor with the context and stops it first on shutdown, before
 * {@link DrainLifecycle} reports DRAINING: health never changes the status of a draining instance.
 */
final class HealthMonitorLifecycle implements SmartLifecycle {

	/** Above {@link DrainLifecycle#PHASE}: stops before draining starts. */
	static final int PHASE = DrainLifecycle.PHASE + 256;

	private final HealthMonitor monitor;

	private volatile boolean running;

	HealthMonitorLifecycle(HealthMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public void start() {
		this.monitor.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.monitor.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
