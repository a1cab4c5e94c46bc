package io.beacon.client.cloud;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes Spring Cloud's {@link HeartbeatEvent}, with a new value every time: listeners (Spring
 * Cloud Gateway's route refresh) act only on a value they have not seen.
 */
public final class Heartbeats {

	private final ApplicationEventPublisher publisher;

	private final AtomicLong beats = new AtomicLong();

	public Heartbeats(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	void publish(Object source) {
		this.publisher.publishEvent(new HeartbeatEvent(source, this.beats.incrementAndGet()));
	}

}
