package io.beacon.sidecar.config;

import io.beacon.sidecar.lifecycle.Sidecar;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the sidecar with the context: it starts after the discovery client (so the proxy can look
 * services up from its first request) and stops first (SIGTERM closes the context), draining while
 * the discovery client and the registry client still work.
 */
final class SidecarLifecycle implements SmartLifecycle {

	private final Sidecar sidecar;

	SidecarLifecycle(Sidecar sidecar) {
		this.sidecar = sidecar;
	}

	@Override
	public void start() {
		this.sidecar.start();
	}

	@Override
	public void stop() {
		this.sidecar.stop();
	}

	@Override
	public boolean isRunning() {
		return this.sidecar.isRunning();
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
