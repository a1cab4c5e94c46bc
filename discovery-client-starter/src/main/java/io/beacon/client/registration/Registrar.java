package io.beacon.client.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.beacon.client.InstanceStatus;
import io.beacon.client.registry.InstanceNotRegisteredException;
import io.beacon.client.registry.RegistrationRequest;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.RegistryAccessDeniedException;
import io.beacon.client.registry.RegistryRejectedException;
import io.beacon.client.registry.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance registered: registers it, heartbeats at the interval derived from its lease,
 * registers again at once when the registry has forgotten it, reports status changes, and
 * deregisters it on shutdown. Every call to the registry runs on one thread this class owns, so
 * they never race each other; the public methods hand work to that thread.
 * <p>
 * While the registry cannot be reached the application keeps running: registration is retried
 * with capped, jittered exponential backoff (never slower than the heartbeat interval, so an
 * instance is back within one interval of the registry's return), and one warning is logged per
 * outage, not one per attempt.
 */
public class Registrar {

	private static final Logger logger = LoggerFactory.getLogger(Registrar.class);

	private static final long MIN_BACKOFF_MILLIS = 250;

	private final RegistryClient client;

	private final Duration callTimeout;

	private final ThreadFactory threads;

	private final RegistrationListener listener;

	private LocalInstance instance;

	private long heartbeatMillis;

	private ScheduledExecutorService scheduler;

	private ScheduledFuture<?> next;

	private volatile RegistrationState state = RegistrationState.IDLE;

	private volatile InstanceStatus status = InstanceStatus.STARTING;

	private volatile boolean reachable = true;

	/** Whether the registry refuses this application's token right now (logged once per streak). */
	private boolean tokenRefused;

	/** The registry's last refusal of the registration, the reason a fail-fast start gives. */
	private RegistryRejectedException refusal;

	private volatile Instant lastHeartbeat;

	/** Set while an operator drained the instance by hand: readiness changes must not undo it. */
	private volatile boolean manuallyDrained;

	private volatile boolean statusDirty;

	private int failures;

	public Registrar(RegistryClient client, Duration callTimeout, ThreadFactory threads,
			RegistrationListener listener) {
		this.client = client;
		this.callTimeout = callTimeout;
		this.threads = threads;
		this.listener = listener;
	}

	/** The heartbeat interval for a lease: a third of it, so two heartbeats may be lost. */
	public static Duration heartbeatInterval(Duration leaseTtl) {
		return leaseTtl.dividedBy(3);
	}

	/**
	 * Starts registering {@code instance} (as STARTING unless a status was set before).
	 * @param failFast register now and throw if no registry accepts the registration
	 */
	public synchronized void start(LocalInstance instance, boolean failFast) {
		if (this.scheduler != null) {
			return;
		}
		this.instance = instance;
		this.heartbeatMillis = heartbeatInterval(instance.leaseTtl()).toMillis();
		this.scheduler = Executors.newSingleThreadScheduledExecutor(this.threads);
		this.state = RegistrationState.REGISTERING;
		if (failFast) {
			Throwable failure = await(this.scheduler.submit(() -> {
				register();
				if (this.state != RegistrationState.REGISTERED && this.refusal != null) {
					throw this.refusal;
				}
				if (this.state != RegistrationState.REGISTERED) {
					throw new RegistryUnavailableException("Could not register " + describe() + " with "
							+ this.client.urls() + " and beacon.client.fail-fast is true", null);
				}
				scheduleNext();
			}), this.callTimeout.multipliedBy(this.client.urls().size() + 1));
			if (failure != null) {
				this.scheduler.shutdownNow();
				this.scheduler = null;
				this.state = RegistrationState.IDLE;
				throw (failure instanceof RuntimeException runtime) ? runtime : new IllegalStateException(failure);
			}
		}
		else {
			this.next = this.scheduler.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
		}
	}

	/** Reports a status driven by the application (readiness). Ignored while drained by hand. */
	public void setStatus(InstanceStatus status) {
		if (this.manuallyDrained && status == InstanceStatus.UP) {
			logger.info("Not reporting UP: {} was drained by hand; POST UP to the beacon endpoint to undo", describe());
			return;
		}
		submit(status);
	}

	/**
	 * Sets the status by hand (the actuator endpoint): DRAINING sticks until UP is set by hand.
	 * @return whether the registry accepted the status within the call timeout
	 */
	public boolean overrideStatus(InstanceStatus status) {
		this.manuallyDrained = (status != InstanceStatus.UP);
		return setStatusAndWait(status, this.callTimeout);
	}

	/**
	 * Reports a status and waits until the registry has it (or the wait ends).
	 * @return whether the registry accepted it in time
	 */
	public boolean setStatusAndWait(InstanceStatus status, Duration wait) {
		Future<?> done = submit(status);
		return done != null && await(done, wait) == null && this.state == RegistrationState.REGISTERED
				&& !this.statusDirty;
	}

	private synchronized Future<?> submit(InstanceStatus status) {
		this.status = status;
		if (this.scheduler == null || this.scheduler.isShutdown()) {
			return null;
		}
		return this.scheduler.submit(() -> {
			if (this.state == RegistrationState.REGISTERED) {
				syncStatus();
			}
		});
	}

	/**
	 * Stops heartbeats and deregisters, waiting up to the call timeout; then releases the thread.
	 */
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.scheduler;
			if (executor == null) {
				return;
			}
			this.scheduler = null;
		}
		await(executor.submit(() -> {
			if (this.next != null) {
				this.next.cancel(false);
			}
			if (this.state == RegistrationState.REGISTERED) {
				try {
					this.client.deregister(this.instance.service(), this.instance.instanceId()).block(this.callTimeout);
					logger.info("Deregistered {}", describe());
				}
				catch (RuntimeException ex) {
					logger.warn("Could not deregister {} ({}); its lease will lapse", describe(), ex.getMessage());
				}
			}
			this.state = RegistrationState.DEREGISTERED;
		}), this.callTimeout.plusSeconds(1));
		executor.shutdownNow();
	}

	public RegistrationStatus snapshot() {
		LocalInstance local = this.instance;
		return new RegistrationStatus((local != null) ? local.service() : null,
				(local != null) ? local.instanceId() : null, this.state, this.status, this.reachable,
				this.client.currentUrl(), this.lastHeartbeat, this.heartbeatMillis);
	}

	private void tick() {
		try {
			if (this.state == RegistrationState.REGISTERING) {
				register();
			}
			else if (this.state == RegistrationState.REGISTERED) {
				if (this.statusDirty) {
					syncStatus();
				}
				if (this.state == RegistrationState.REGISTERED) {
					heartbeat();
				}
			}
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected failure talking to the registry", ex);
		}
		finally {
			scheduleNext();
		}
	}

	private void scheduleNext() {
		if (this.state == RegistrationState.DEREGISTERED || Thread.currentThread().isInterrupted()) {
			return;
		}
		long delay;
		if (this.state == RegistrationState.REGISTERED && this.failures == 0) {
			// +-10 % so that instances started together do not heartbeat in lockstep
			delay = (long) (this.heartbeatMillis * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
		}
		else {
			long cap = Math.min(this.heartbeatMillis, MIN_BACKOFF_MILLIS << Math.min(this.failures, 16));
			delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
		}
		this.next = this.scheduler.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
	}

	private void register() {
		LocalInstance local = this.instance;
		InstanceStatus reporting = this.status;
		RegistrationRequest request = new RegistrationRequest(local.instanceId(), local.host(), local.port(),
				local.secure(), reporting, local.zone(), local.metadata(), (int) local.leaseTtl().toSeconds());
		try {
			this.client.register(local.service(), request).block(this.callTimeout);
			this.state = RegistrationState.REGISTERED;
			this.statusDirty = (this.status != reporting);
			this.lastHeartbeat = Instant.now();
			answered();
			logger.info("Registered {} as {} at {} (heartbeat every {} ms)", describe(), reporting,
					this.client.currentUrl(), this.heartbeatMillis);
			this.listener.onRegistered();
		}
		catch (RegistryRejectedException ex) {
			this.failures++;
			this.refusal = ex;
			logger.error("The registry refused to register {}: {}", describe(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			unreachable(ex);
		}
	}

	private void heartbeat() {
		try {
			this.client.heartbeat(this.instance.service(), this.instance.instanceId()).block(this.callTimeout);
			this.lastHeartbeat = Instant.now();
			answered();
			this.listener.onHeartbeat(true);
		}
		catch (RegistryAccessDeniedException ex) {
			this.listener.onHeartbeat(false);
			denied(ex);
		}
		catch (InstanceNotRegisteredException ex) {
			answered();
			logger.info("The registry no longer knows {}: registering again", describe());
			this.state = RegistrationState.REGISTERING;
			register();
		}
		catch (RuntimeException ex) {
			this.listener.onHeartbeat(false);
			unreachable(ex);
		}
	}

	private void syncStatus() {
		InstanceStatus reporting = this.status;
		try {
			this.client.updateStatus(this.instance.service(), this.instance.instanceId(), reporting)
				.block(this.callTimeout);
			this.statusDirty = (this.status != reporting);
			this.lastHeartbeat = Instant.now();
			answered();
			logger.info("Reported {} as {}", describe(), reporting);
		}
		catch (InstanceNotRegisteredException ex) {
			answered();
			this.state = RegistrationState.REGISTERING;
			register();
		}
		catch (RegistryAccessDeniedException ex) {
			this.statusDirty = true;
			denied(ex);
		}
		catch (RuntimeException ex) {
			this.statusDirty = true;
			unreachable(ex);
		}
	}

	/** The token was refused (rotated, or its roles changed): keep trying, each time with the current token. */
	private void denied(RegistryAccessDeniedException ex) {
		this.failures++;
		if (!this.tokenRefused) {
			logger.error("The registry refused the token of {}: {}; retrying with the current credentials",
					describe(), ex.getMessage());
		}
		this.tokenRefused = true;
	}

	private void answered() {
		this.refusal = null;
		if (this.tokenRefused) {
			logger.info("The registry accepts the token of {} again", describe());
			this.tokenRefused = false;
		}
		if (!this.reachable) {
			logger.info("The registry at {} answers again", this.client.currentUrl());
		}
		this.reachable = true;
		this.failures = 0;
	}

	private void unreachable(RuntimeException ex) {
		this.failures++;
		if (this.reachable) {
			logger.warn("Registry unreachable ({}): {} keeps running and keeps trying ({})", ex.getMessage(),
					describe(), (this.state == RegistrationState.REGISTERED) ? "heartbeats" : "registration");
		}
		this.reachable = false;
	}

	private String describe() {
		LocalInstance local = this.instance;
		return (local != null) ? local.service() + "/" + local.instanceId() : "this instance";
	}

	/** Waits for a task; returns its failure, or {@code null} when it completed in time. */
	private static Throwable await(Future<?> task, Duration wait) {
		try {
			task.get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (TimeoutException ex) {
			return ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ex;
		}
	}

}
