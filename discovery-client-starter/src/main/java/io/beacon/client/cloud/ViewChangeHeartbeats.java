package io.beacon.client.cloud;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.discovery.DiscoveryEvent;
import io.beacon.client.discovery.DiscoveryListener;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes a {@link HeartbeatEvent} each time a push changes the cached view of a service looked up
 * so far, so that what listens for it (Spring Cloud Gateway's discovery routes) refreshes at once
 * rather than on a timer.
 */
public final class ViewChangeHeartbeats implements DiscoveryListener, SmartLifecycle {

	private final BeaconDiscoveryClient discovery;

	private final Heartbeats heartbeats;

	private AutoCloseable subscription;

	public ViewChangeHeartbeats(BeaconDiscoveryClient discovery, Heartbeats heartbeats) {
		this.discovery = discovery;
		this.heartbeats = heartbeats;
	}

	@Override
	public void onEvent(DiscoveryEvent event) {
		this.heartbeats.publish(this);
	}

	@Override
	public synchronized void start() {
		if (this.subscription == null) {
			this.subscription = this.discovery.subscribe(this);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.subscription != null) {
			try {
				this.subscription.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not unsubscribe from the discovery client", ex);
			}
			this.subscription = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

}
