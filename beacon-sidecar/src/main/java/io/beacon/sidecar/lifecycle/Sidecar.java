package io.beacon.sidecar.lifecycle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.beacon.client.InstanceStatus;
import io.beacon.client.registration.LocalInstance;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationState;
import io.beacon.sidecar.app.AppProcess;
import io.beacon.sidecar.health.HealthMonitor;
import io.beacon.sidecar.proxy.OutboundProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's life, in order. Start: open the proxy, start (or find) the app, register it as
 * STARTING, probe it (the registrar reports each status change: UP, DOWN, UP again). Stop, once:
 * stop probing, report DRAINING (callers' views drop the app within milliseconds through the
 * registry's push), let it serve for the drain delay, deregister, then send the app SIGTERM and wait
 * for it; the proxy closes last, so the app can call others until it exits.
 */
public final class Sidecar {

	private static final Logger logger = LoggerFactory.getLogger(Sidecar.class);

	private final Registrar registrar;

	private final LocalInstance app;

	private final HealthMonitor monitor;

	private final OutboundProxy proxy;

	private final AppProcess process;

	private final Settings settings;

	private final CompletableFuture<Integer> stopping = new CompletableFuture<>();

	private boolean started;

	/**
	 * Timings of the sidecar's life.
	 *
	 * @param drainDelay how long the app keeps serving after it was reported DRAINING
	 * @param callTimeout how long to wait for the registry to take the DRAINING status
	 * @param appStopTimeout how long the app may take to exit after SIGTERM
	 * @param failFast whether startup fails when no registry takes the registration
	 */
	public record Settings(Duration drainDelay, Duration callTimeout, Duration appStopTimeout, boolean failFast) {
	}

	public Sidecar(Registrar registrar, LocalInstance app, HealthMonitor monitor, OutboundProxy proxy,
			AppProcess process, Settings settings) {
		this.registrar = registrar;
		this.app = app;
		this.monitor = monitor;
		this.proxy = proxy;
		this.process = process;
		this.settings = settings;
	}

	public synchronized void start() {
		if (this.started) {
			return;
		}
		this.proxy.start();
		this.process.start();
		this.registrar.start(this.app, this.settings.failFast());
		this.monitor.start(this.registrar::setStatus);
		this.started = true;
	}

	/** Drains, deregisters and stops the app; runs once. */
	public synchronized void stop() {
		if (!this.started) {
			return;
		}
		this.started = false;
		this.stopping.complete(null);
		this.monitor.stop();
		drain();
		this.registrar.stop();
		this.process.stop(this.settings.appStopTimeout());
		this.proxy.stop(Duration.ofSeconds(1));
	}

	private void drain() {
		if (this.registrar.snapshot().state() != RegistrationState.REGISTERED) {
			// nothing to drain: no caller can have the app in its view
			return;
		}
		long start = System.nanoTime();
		boolean reported = this.registrar.setStatusAndWait(InstanceStatus.DRAINING, this.settings.callTimeout());
		if (this.process.exited().isDone()) {
			logger.info("Draining: the app has exited already; deregistering now");
			return;
		}
		logger.info("Draining: {}; the app serves {} ms more before it is deregistered",
				reported ? "reported DRAINING to the registry" : "could not report DRAINING to the registry",
				this.settings.drainDelay().toMillis());
		long left = this.settings.drainDelay().toNanos() - (System.nanoTime() - start);
		if (left > 0) {
			try {
				Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	public synchronized boolean isRunning() {
		return this.started;
	}

	/**
	 * Completes when the sidecar's run is over: with the app's exit code when the app exited by
	 * itself, with {@code null} when the sidecar was told to stop.
	 */
	public CompletableFuture<Integer> ended() {
		return this.stopping.applyToEither(this.process.exited(), (code) -> code);
	}

}
