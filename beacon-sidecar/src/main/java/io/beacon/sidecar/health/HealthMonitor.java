package io.beacon.sidecar.health;

import java.time.Duration;
import java.util.function.Consumer;

import io.beacon.client.InstanceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Probes the app over and over, one probe at a time: each probe may take up to the timeout (then it
 * counts as unhealthy), the next starts one interval after it ended. Every change of the tracked
 * status goes to the listener. Time comes from the scheduler, so tests run it on virtual time.
 * <p>
 * An UP app that stops answering is therefore reported DOWN at most
 * {@code unhealthyThreshold x (interval + timeout)} after its last healthy probe.
 */
public final class HealthMonitor {

	private static final Logger logger = LoggerFactory.getLogger(HealthMonitor.class);

	private final HealthProbe probe;

	private final HealthTracker tracker;

	private final Duration interval;

	private final Duration timeout;

	private final Scheduler scheduler;

	private Disposable running;

	public HealthMonitor(HealthProbe probe, HealthTracker tracker, Duration interval, Duration timeout,
			Scheduler scheduler) {
		this.probe = probe;
		this.tracker = tracker;
		this.interval = interval;
		this.timeout = timeout;
		this.scheduler = scheduler;
	}

	/** Starts probing at once; {@code onChange} gets each new status. */
	public synchronized void start(Consumer<InstanceStatus> onChange) {
		if (this.running != null) {
			return;
		}
		logger.info("Checking the app's health: {} every {} ms (timeout {} ms)", this.probe.describe(),
				this.interval.toMillis(), this.timeout.toMillis());
		this.running = Mono.defer(this::probeOnce)
			.doOnNext((healthy) -> record(healthy, onChange))
			.then(Mono.delay(this.interval, this.scheduler))
			.repeat()
			.subscribe();
	}

	private Mono<Boolean> probeOnce() {
		return Mono.defer(this.probe::check)
			.timeout(this.timeout, this.scheduler)
			.defaultIfEmpty(false)
			.onErrorResume((ex) -> {
				logger.debug("Health probe failed: {}", ex.toString());
				return Mono.just(false);
			});
	}

	private void record(boolean healthy, Consumer<InstanceStatus> onChange) {
		InstanceStatus before = this.tracker.status();
		InstanceStatus after = this.tracker.record(healthy);
		if (after != before) {
			logger.info("The app is now {} (was {}): {}", after, before, healthy ? "healthy" : "unhealthy probes");
			onChange.accept(after);
		}
	}

	/** Stops probing; a probe under way is cancelled and reports nothing. */
	public synchronized void stop() {
		if (this.running != null) {
			this.running.dispose();
			this.running = null;
		}
	}

	public InstanceStatus status() {
		return this.tracker.status();
	}

}
