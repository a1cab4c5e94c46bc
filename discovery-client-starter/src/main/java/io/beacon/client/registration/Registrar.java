package io.beacon.client.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * deregisters it on shutdown. Every call to the registry runs as one of a series of tasks on the
 * shared scheduler, one at a time, so they never race each other; the public methods hand work to
 * that series. The scheduler is given, never owned: whoever owns it shuts it down after
 * {@link #stop()}.
 * <p>
 * While registered it may also hold the instance's {@link LeaseStream} open, so the registry sees
 * this process die within its connection grace; the stream is closed only after the
 * deregistration, so a clean stop never looks like a crash.
 * <p>
 * While the registry cannot be reached the application keeps running: registration is retried
 * with capped, jittered exponential backoff (never slower than the heartbeat interval, so an
 * instance is back within one interval of the registry's return), and one warning is logged per
 * outage, not one per attempt.
 */
public class Registrar implements HealthDrivenStatus {

	private static final Logger logger = LoggerFactory.getLogger(Registrar.class);

	private static final Duration MIN_BACKOFF = Duration.ofMillis(250);

	private static final String HEALTH_DOWN = "health_down";

	private static final String HEALTH_RESTORED = "health_restored";

	private final RegistryClient client;

	private final ScheduledExecutorService scheduler;

	/** The series every registry call runs in, one at a time. */
	private final SerialTasks serial;

	private final Clock clock;

	private final RegistrationListener listener;

	private final WriteSequence writes;

	/** The lease stream held while registered, {@code null} when turned off. */
	private final LeaseStream leaseStream;

	private volatile LocalInstance instance;

	private volatile Duration heartbeatInterval;

	/** The next tick, while one is scheduled. Written only by tasks of the series. */
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

	/** Set while the application's own health checks fail: an instance asking for UP is reported DOWN. */
	private volatile boolean unhealthy;

	/** Whether the registry was last told DOWN for health. Written only by tasks of the series. */
	private boolean reportedUnhealthy;

	private int failures;

	/**
	 * @param client the registry client; each call is waited for up to its call timeout
	 * @param scheduler the shared scheduler the registration's tasks run on (not owned)
	 * @param clock tells when the registry last answered
	 * @param listener told about registrations and heartbeats
	 */
	public Registrar(RegistryClient client, ScheduledExecutorService scheduler, Clock clock,
			RegistrationListener listener) {
		this(client, scheduler, clock, listener, false);
	}

	/**
	 * @param client the registry client; each call is waited for up to its call timeout
	 * @param scheduler the shared scheduler the registration's tasks run on (not owned)
	 * @param clock tells when the registry last answered
	 * @param listener told about registrations and heartbeats
	 * @param leaseStream whether to hold the instance's lease stream open while it is registered
	 */
	public Registrar(RegistryClient client, ScheduledExecutorService scheduler, Clock clock,
			RegistrationListener listener, boolean leaseStream) {
		this.client = client;
		this.scheduler = scheduler;
		this.serial = new SerialTasks(scheduler);
		this.clock = clock;
		this.listener = listener;
		this.writes = new WriteSequence(clock);
		this.leaseStream = leaseStream ? new LeaseStream(client, scheduler, this::registryForgot, clock) : null;
	}

	/** The heartbeat interval for a lease: a third of it, so two heartbeats may be lost. */
	public static Duration heartbeatInterval(Duration leaseTtl) {
		return leaseTtl.dividedBy(3);
	}

	/**
	 * Starts registering {@code instance} (as STARTING unless a status was set before). Starts once:
	 * later calls are ignored.
	 * @param failFast register now and throw if no registry accepts the registration
	 */
	public synchronized void start(LocalInstance instance, boolean failFast) {
		if (this.state != RegistrationState.IDLE) {
			return;
		}
		this.instance = instance;
		this.heartbeatInterval = heartbeatInterval(instance.leaseTtl());
		this.state = RegistrationState.REGISTERING;
		if (!failFast) {
			run(() -> {
				tick();
				return null;
			});
			return;
		}
		Throwable failure = await(run(() -> {
			if (this.state != RegistrationState.REGISTERING) {
				return null;
			}
			register();
			if (this.state != RegistrationState.REGISTERED && this.refusal != null) {
				throw this.refusal;
			}
			if (this.state != RegistrationState.REGISTERED) {
				throw new RegistryUnavailableException("Could not register " + describe() + " with "
						+ this.client.urls() + " and beacon.client.fail-fast is true", null);
			}
			scheduleNext();
			return null;
		}), this.client.callTimeout().plus(this.client.callTimeout()));
		if (failure != null) {
			// a registration that still gets through after all is undone: the startup failed
			stop();
			throw (failure instanceof RuntimeException runtime) ? runtime : new IllegalStateException(failure);
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
		return setStatusAndWait(status, this.client.callTimeout());
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

	/** The status the application asks for (readiness, drain, by hand), before its health is applied. */
	public InstanceStatus requestedStatus() {
		return this.status;
	}

	/** Health drives the status only while the application asks for UP: never while starting or draining. */
	@Override
	public boolean healthApplies() {
		return this.status == InstanceStatus.UP;
	}

	/**
	 * Reports the application's own health: unhealthy turns an UP instance DOWN with the cause
	 * {@code health_down}, healthy again turns it back UP ({@code health_restored}).
	 */
	@Override
	public void reportHealth(boolean healthy) {
		this.unhealthy = !healthy;
		sync();
	}

	/** The status to report: the requested one, DOWN instead of UP while unhealthy. */
	private InstanceStatus effectiveStatus() {
		InstanceStatus requested = this.status;
		return (this.unhealthy && requested == InstanceStatus.UP) ? InstanceStatus.DOWN : requested;
	}

	private Future<?> submit(InstanceStatus status) {
		this.status = status;
		return sync();
	}

	private Future<?> sync() {
		return run(() -> {
			if (this.state == RegistrationState.REGISTERED) {
				syncStatus();
			}
			return null;
		});
	}

	/**
	 * Stops heartbeats and deregisters, waiting up to the call timeout. After it no task of this
	 * registrar calls the registry or schedules another: a tick already under way finishes first
	 * (the tasks run one at a time), and a tick that fires later finds the registration ended.
	 */
	public void stop() {
		synchronized (this) {
			if (this.state == RegistrationState.DEREGISTERED) {
				return;
			}
			if (this.state == RegistrationState.IDLE) {
				this.state = RegistrationState.DEREGISTERED;
				return;
			}
		}
		Future<?> done = run(() -> {
			if (this.next != null) {
				this.next.cancel(false);
			}
			if (this.state == RegistrationState.REGISTERED) {
				try {
					this.client.deregister(this.instance.service(), this.instance.instanceId())
						.block(this.client.callTimeout());
					logger.info("Deregistered {}", describe());
				}
				catch (RuntimeException ex) {
					logger.warn("Could not deregister {} ({}); its lease will lapse", describe(), ex.getMessage());
				}
			}
			this.state = RegistrationState.DEREGISTERED;
			// Only now: a stream closed before the deregistration would mark the instance DOWN.
			closeLeaseStream();
			return null;
		});
		if (done == null || await(done, this.client.callTimeout().multipliedBy(2)) != null) {
			// the scheduler is gone or stuck: make sure nothing is scheduled again
			this.state = RegistrationState.DEREGISTERED;
			closeLeaseStream();
		}
	}

	private void closeLeaseStream() {
		if (this.leaseStream != null) {
			this.leaseStream.close();
		}
	}

	/** Whether the registry has bound this instance's liveness to its open lease stream. */
	public boolean holdsLeaseStream() {
		return this.leaseStream != null && this.leaseStream.held();
	}

	/** The registry answered the lease stream that it does not know the instance: register again. */
	private void registryForgot() {
		run(() -> {
			if (this.state == RegistrationState.REGISTERED) {
				logger.info("The registry no longer knows {}: registering again", describe());
				this.state = RegistrationState.REGISTERING;
				register();
			}
			return null;
		});
	}

	public RegistrationStatus snapshot() {
		LocalInstance local = this.instance;
		return new RegistrationStatus((local != null) ? local.service() : null,
				(local != null) ? local.instanceId() : null, this.state, effectiveStatus(), this.reachable,
				this.client.currentUrl(), this.lastHeartbeat, this.heartbeatInterval);
	}

	/** Hands a task to the series; {@code null} when the scheduler is shut down. */
	private Future<?> run(Callable<Void> task) {
		FutureTask<Void> future = new FutureTask<>(task);
		try {
			this.serial.execute(future);
			return future;
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	private void tick() {
		if (this.state == RegistrationState.DEREGISTERED) {
			return;
		}
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

	/** Schedules the next tick; runs only as a task of the series, so never alongside {@link #stop()}'s. */
	private void scheduleNext() {
		if (this.state == RegistrationState.DEREGISTERED) {
			return;
		}
		long intervalMillis = this.heartbeatInterval.toMillis();
		long delay;
		if (this.state == RegistrationState.REGISTERED && this.failures == 0) {
			// +-10 % so that instances started together do not heartbeat in lockstep
			delay = (long) (intervalMillis * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
		}
		else {
			long cap = Math.min(intervalMillis, MIN_BACKOFF.toMillis() << Math.min(this.failures, 16));
			delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
		}
		try {
			this.next = this.scheduler.schedule(() -> run(() -> {
				tick();
				return null;
			}), delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the scheduler is shut down: the application is stopping
			this.next = null;
		}
	}

	private void register() {
		LocalInstance local = this.instance;
		InstanceStatus reporting = effectiveStatus();
		RegistrationRequest request = RegistrationRequest.of(local.instanceId(), local.host(), local.port(),
				local.secure(), reporting, local.zone(), local.metadata(), local.leaseTtl());
		try {
			this.client.register(local.service(), request, this.writes.next()).block(this.client.callTimeout());
			this.state = RegistrationState.REGISTERED;
			this.reportedUnhealthy = (reporting == InstanceStatus.DOWN && this.status == InstanceStatus.UP);
			this.statusDirty = (effectiveStatus() != reporting);
			this.lastHeartbeat = this.clock.instant();
			answered();
			logger.info("Registered {} as {} at {} (heartbeat every {})", describe(), reporting,
					this.client.currentUrl(), this.heartbeatInterval);
			if (this.leaseStream != null) {
				this.leaseStream.open(local.service(), local.instanceId());
			}
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
			this.client.heartbeat(this.instance.service(), this.instance.instanceId()).block(this.client.callTimeout());
			this.lastHeartbeat = this.clock.instant();
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
		InstanceStatus requested = this.status;
		boolean forHealth = this.unhealthy && requested == InstanceStatus.UP;
		InstanceStatus reporting = forHealth ? InstanceStatus.DOWN : requested;
		String cause = forHealth ? HEALTH_DOWN
				: (reporting == InstanceStatus.UP && this.reportedUnhealthy) ? HEALTH_RESTORED : null;
		try {
			this.client.updateStatus(this.instance.service(), this.instance.instanceId(), reporting, cause,
					this.writes.next())
				.block(this.client.callTimeout());
			this.reportedUnhealthy = forHealth;
			this.statusDirty = (effectiveStatus() != reporting);
			this.lastHeartbeat = this.clock.instant();
			answered();
			logger.info("Reported {} as {}{}", describe(), reporting, (cause != null) ? " (" + cause + ")" : "");
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
