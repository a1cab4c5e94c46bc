package io.beacon.registry.api;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Ends the open lease streams as soon as the registry starts to stop, before any lifecycle stops:
 * the web server's graceful shutdown would otherwise wait its whole timeout for streams that never
 * end by themselves. Streams this side ends are no loss, and streams opened from then on end at
 * once; the clients reconnect (to another replica, or to this one when it is back), and that open
 * is a heartbeat.
 */
final class LeaseStreamsShutdown implements ApplicationListener<ContextClosedEvent> {

	private final LeaseBindings bindings;

	LeaseStreamsShutdown(LeaseBindings bindings) {
		this.bindings = bindings;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.bindings.endAll();
	}

}
