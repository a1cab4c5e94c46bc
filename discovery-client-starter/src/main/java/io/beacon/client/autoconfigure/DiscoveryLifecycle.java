package io.beacon.client.autoconfigure;

import io.beacon.client.discovery.BeaconDiscoveryClient;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the discovery client's thread with the context, and stops it (closing the watch stream)
 * after everything that might call other services has stopped.
 */
final class DiscoveryLifecycle implements SmartLifecycle {

	private final BeaconDiscoveryClient client;

	DiscoveryLifecycle(BeaconDiscoveryClient client) {
		this.client = client;
	}

	@Override
	public void start() {
		this.client.start();
	}

	@Override
	public void stop() {
		this.client.stop();
	}

	@Override
	public boolean isRunning() {
		return this.client.isRunning();
	}

	/** Early start, late stop: lookups work from the start and during the whole shutdown. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

}
