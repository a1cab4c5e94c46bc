package io.beacon.client.cloud;

import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.WatchEvent;
import io.beacon.client.registry.WatchIdleTimeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes a {@link HeartbeatEvent} when a service appears in the registry, from one watch stream
 * over all services (changes to services already looked up come from {@link ViewChangeHeartbeats}). A gateway that routes every discovered service needs this: the
 * discovery client only watches services once they are looked up, and a service nobody has looked up
 * yet has no route to look it up through.
 */
public final class NewServiceHeartbeats implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NewServiceHeartbeats.class);

	private final RegistryClient client;

	private final Heartbeats heartbeats;

	private final WatchIdleTimeout idleTimeout;

	private final Set<String> known = new HashSet<>();

	private Disposable stream;

	/**
	 * @param idleTimeout how long the stream may stay silent (the registry sends keep-alives) before
	 * it counts as broken and is reopened
	 */
	public NewServiceHeartbeats(RegistryClient client, Heartbeats heartbeats, WatchIdleTimeout idleTimeout) {
		this.client = client;
		this.heartbeats = heartbeats;
		this.idleTimeout = idleTimeout;
	}

	@Override
	public synchronized void start() {
		if (this.stream != null) {
			return;
		}
		// Every (re)connection starts with a snapshot, so nothing missed while it was down is lost. A
		// stream the registry ends is reopened like a broken one: after a backoff that resets once
		// events flow again.
		this.stream = Flux.defer(() -> this.client.watch(Set.of(), OptionalLong.empty(), this.idleTimeout))
			.concatWith(Mono.error(() -> new IllegalStateException("the registry closed the stream")))
			.doOnError((ex) -> logger.debug("Service list watch broke, reopening: {}", ex.getMessage()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(10))
				.transientErrors(true))
			.subscribe(this::onEvent);
	}

	private void onEvent(WatchEvent event) {
		boolean changed;
		synchronized (this.known) {
			if (event instanceof WatchEvent.Snapshot snapshot) {
				Set<String> now = new HashSet<>();
				snapshot.services().forEach((service, instances) -> {
					if (!instances.isEmpty()) {
						now.add(service);
					}
				});
				changed = !now.equals(this.known);
				this.known.clear();
				this.known.addAll(now);
			}
			else if (event instanceof WatchEvent.Change change) {
				changed = !change.isRemoval() && this.known.add(change.instance().service());
			}
			else {
				changed = false;
			}
		}
		if (changed) {
			this.heartbeats.publish(this);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.stream != null) {
			this.stream.dispose();
			this.stream = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.stream != null;
	}

}
