package io.beacon.registry.api;

import org.springframework.context.SmartLifecycle;

/**
 * Ends the open lease streams when the registry stops, before the web server's graceful shutdown,
 * which would otherwise wait its whole timeout for streams that never end by themselves. It stops
 * after the registry's scheduler (a higher phase stops first), so none of these closes is reported
 * as a lost connection; the clients reconnect, and that open is a heartbeat.
 */
final class LeaseStreamsShutdown implements SmartLifecycle {

	/** Above WebServerGracefulShutdownLifecycle (MAX - 1024), below the registry scheduler (MAX). */
	static final int PHASE = Integer.MAX_VALUE - 512;

	private final LeaseBindings bindings;

	private volatile boolean running;

	LeaseStreamsShutdown(LeaseBindings bindings) {
		this.bindings = bindings;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.bindings.endAll();
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
