package io.beacon.client.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.beacon.client.registry.InstanceNotRegisteredException;
import io.beacon.client.registry.LeaseBinding;
import io.beacon.client.registry.RegistryAccessDeniedException;
import io.beacon.client.registry.RegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Keeps the lease stream of the registered instance open, so the registry learns within its
 * connection grace that this process died (the kernel closes a dead process's sockets). When the
 * stream breaks it is reopened within the grace a few times, then with jittered backoff, on the
 * next registry URL after a failure; reopening is a heartbeat, so a registry restart or failover
 * marks nothing DOWN. When the registry answers that it does not know the instance, the
 * registration is told (it registers again and then reopens the stream). All state changes happen under this object's monitor.
 */
final class LeaseStream {

	private static final Logger logger = LoggerFactory.getLogger(LeaseStream.class);

	/** Reopens tried quickly before backing off: together they span less than the default grace. */
	static final int QUICK_REOPENS = 4;

	private static final long QUICK_REOPEN_CAP_MILLIS = 50;

	private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	/**
	 * How long a stream must have been held for its break to start a fresh series of reopens; a
	 * stream broken sooner counts as one more failure, so a proxy that cuts every stream at once
	 * gets backoff, not a reopen every 50 ms.
	 */
	private static final Duration STEADY = Duration.ofSeconds(1);

	private final RegistryClient client;

	private final ScheduledExecutorService scheduler;

	private final Runnable forgotten;

	private final Clock clock;

	/** When the stream held now was bound ({@link #clock} millis). */
	private long boundAt;

	private String service;

	private String instanceId;

	private Disposable stream;

	/** Bumped on every (re)connect and close: signals of an older stream are ignored. */
	private long generation;

	private boolean open;

	private boolean bound;

	private int failures;

	/**
	 * @param client the registry client
	 * @param scheduler runs the reconnects (not owned)
	 * @param forgotten called when the registry does not know the instance; must not block
	 * @param clock times how long a stream was held
	 */
	LeaseStream(RegistryClient client, ScheduledExecutorService scheduler, Runnable forgotten, Clock clock) {
		this.client = client;
		this.scheduler = scheduler;
		this.forgotten = forgotten;
		this.clock = clock;
	}

	/** Opens the stream of the instance, unless it is held (or being reopened) already. */
	synchronized void open(String service, String instanceId) {
		if (this.open && service.equals(this.service) && instanceId.equals(this.instanceId)) {
			return;
		}
		this.service = service;
		this.instanceId = instanceId;
		this.open = true;
		this.failures = 0;
		connect();
	}

	/** Closes the stream for good (after deregistering: the registry then marks nothing). */
	synchronized void close() {
		this.open = false;
		this.bound = false;
		this.generation++;
		if (this.stream != null) {
			this.stream.dispose();
			this.stream = null;
		}
	}

	/** Whether the registry has bound the instance to a stream open now. */
	synchronized boolean held() {
		return this.bound;
	}

	private void connect() {
		if (this.stream != null) {
			this.stream.dispose();
		}
		long gen = ++this.generation;
		this.stream = this.client.leaseStream(this.service, this.instanceId)
			.subscribe((binding) -> onBound(gen, binding), (ex) -> onBroken(gen, ex), () -> onBroken(gen, null));
	}

	private synchronized void onBound(long gen, LeaseBinding binding) {
		if (gen != this.generation) {
			return;
		}
		if (this.failures > 0) {
			logger.info("Lease stream of {}/{} open again at {}", this.service, this.instanceId,
					this.client.currentUrl());
		}
		else {
			logger.debug("Lease stream of {}/{} open at {} (grace {})", this.service, this.instanceId,
					this.client.currentUrl(), binding.grace());
		}
		this.bound = true;
		this.boundAt = this.clock.millis();
	}

	private synchronized void onBroken(long gen, Throwable error) {
		if (gen != this.generation || !this.open) {
			return;
		}
		if (this.bound && this.clock.millis() - this.boundAt >= STEADY.toMillis()) {
			this.failures = 0;
		}
		this.bound = false;
		this.stream = null;
		if (error instanceof InstanceNotRegisteredException) {
			this.open = false;
			this.forgotten.run();
			return;
		}
		if (this.failures == 0) {
			if (error instanceof RegistryAccessDeniedException) {
				logger.error("The registry refused the lease stream of {}/{}: {}; retrying with the current credentials",
						this.service, this.instanceId, error.getMessage());
			}
			else {
				logger.info("Lease stream of {}/{} {}; reopening", this.service, this.instanceId,
						(error != null) ? "broke (" + error.getMessage() + ")" : "ended by the registry");
			}
		}
		this.failures++;
		long delay = reopenDelayMillis(this.failures);
		try {
			this.scheduler.schedule(() -> reconnect(gen), delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the scheduler is shut down: the application is stopping
		}
	}

	/**
	 * The first {@value #QUICK_REOPENS} reopens come 25-50 ms apart, so that a blip shorter than
	 * the registry's connection grace (250 ms by default) is bridged before it ends; after those,
	 * jittered exponential backoff from {@code MIN_BACKOFF} to {@code MAX_BACKOFF} spares a
	 * registry that is away.
	 * @param failure how many reopens failed in a row, counting this one (from 1)
	 */
	static long reopenDelayMillis(int failure) {
		long cap = (failure <= QUICK_REOPENS) ? QUICK_REOPEN_CAP_MILLIS
				: Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(failure - QUICK_REOPENS - 1, 10));
		return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
	}

	private synchronized void reconnect(long gen) {
		if (gen != this.generation || !this.open) {
			return;
		}
		connect();
	}

}
