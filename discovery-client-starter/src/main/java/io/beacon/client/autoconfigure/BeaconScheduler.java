package io.beacon.client.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The one scheduler of the Beacon client, owned here and nowhere else: registration (heartbeats,
 * status reports, deregistration) and discovery (watch reconnects, cache ageing) run their tasks on
 * it. Its threads start with the first task; it stops in the last lifecycle phase the client uses,
 * after registration and discovery have stopped, and is stopped for good (a context is closed once).
 * Two threads: registration's calls block on the registry one at a time, so discovery's tasks
 * always have a thread.
 */
public final class BeaconScheduler implements SmartLifecycle {

	/** Below {@code DiscoveryLifecycle}: starts before, stops after everything that uses it. */
	static final int PHASE = Integer.MIN_VALUE + 500;

	private static final int THREADS = 2;

	private static final Duration TERMINATION_WAIT = Duration.ofSeconds(5);

	private final ScheduledThreadPoolExecutor executor;

	private volatile boolean running;

	public BeaconScheduler() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("beacon-client-");
		threads.setDaemon(true);
		this.executor = new ScheduledThreadPoolExecutor(THREADS, threads);
		this.executor.setRemoveOnCancelPolicy(true);
	}

	/** The scheduler to run the client's tasks on; shut down when this lifecycle stops. */
	public ScheduledExecutorService executor() {
		return this.executor;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		shutdown();
	}

	/** Also called when the context is closed without stopping (a failed refresh). */
	void shutdown() {
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(TERMINATION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
