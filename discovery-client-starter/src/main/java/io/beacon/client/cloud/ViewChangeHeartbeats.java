package io.beacon.client.cloud;

import java.util.concurrent.atomic.AtomicLong;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.discovery.DiscoveryEvent;
import io.beacon.client.discovery.DiscoveryListener;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes Spring Cloud's {@link HeartbeatEvent} each time a push changes the cached view, with a
 * new value every time, so that what listens for it (Spring Cloud Gateway's discovery routes)
 * refreshes at once rather than on a timer.
 */
public final class ViewChangeHeartbeats implements DiscoveryListener, SmartLifecycle {

	private final BeaconDiscoveryClient discovery;

	private final ApplicationEventPublisher publisher;

	private final AtomicLong changes = new AtomicLong();

	private AutoCloseable subscription;

	public ViewChangeHeartbeats(BeaconDiscoveryClient discovery, ApplicationEventPublisher publisher) {
		this.discovery = discovery;
		this.publisher = publisher;
	}

	@Override
	public void onEvent(DiscoveryEvent event) {
		this.publisher.publishEvent(new HeartbeatEvent(this, this.changes.incrementAndGet()));
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
