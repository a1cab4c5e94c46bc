package io.beacon.client.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.client.InstanceStatus;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The first step of shutdown, before the web server stops accepting: report DRAINING, so every
 * caller's view drops this instance within milliseconds through the registry's push, then keep
 * serving for the drain delay, so requests from callers that had already chosen this instance
 * still succeed. Boot's graceful shutdown (the next phase down) then finishes what is in flight,
 * and {@link RegistrationLifecycle} deregisters last. Runs once per context.
 */
final class DrainLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DrainLifecycle.class);

	/** Above WebServerGracefulShutdownLifecycle (MAX - 1024): stops before it. */
	static final int PHASE = Integer.MAX_VALUE - 512;

	private final Registrar registrar;

	private final Duration drainDelay;

	private final Duration callTimeout;

	private final AtomicBoolean drained = new AtomicBoolean();

	private volatile boolean running;

	DrainLifecycle(Registrar registrar, Duration drainDelay, Duration callTimeout) {
		this.registrar = registrar;
		this.drainDelay = drainDelay;
		this.callTimeout = callTimeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (!this.drained.compareAndSet(false, true)
				|| this.registrar.snapshot().state() != RegistrationState.REGISTERED) {
			// nothing to drain: no caller can have this instance in its view
			return;
		}
		long start = System.nanoTime();
		boolean reported = this.registrar.setStatusAndWait(InstanceStatus.DRAINING, this.callTimeout);
		logger.info("Draining: {}; serving {} ms more before graceful shutdown",
				reported ? "reported DRAINING to the registry" : "could not report DRAINING to the registry",
				this.drainDelay.toMillis());
		long left = this.drainDelay.toNanos() - (System.nanoTime() - start);
		if (left > 0) {
			try {
				Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
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
