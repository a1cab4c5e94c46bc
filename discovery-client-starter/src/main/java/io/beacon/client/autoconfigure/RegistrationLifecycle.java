package io.beacon.client.autoconfigure;

import io.beacon.client.registration.Registrar;

import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Registers this instance once the web server listens, and deregisters it after Boot's graceful
 * shutdown has finished the requests in flight. Its phase sits between the web server's start
 * phase and the graceful-shutdown phase: lifecycles start in ascending and stop in descending
 * phase order.
 */
final class RegistrationLifecycle implements SmartLifecycle {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(RegistrationLifecycle.class);

	/** Between WebServerStartStopLifecycle (MAX - 2048) and WebServerGracefulShutdownLifecycle (MAX - 1024). */
	static final int PHASE = Integer.MAX_VALUE - 1536;

	private final Registrar registrar;

	private final LocalInstanceFactory factory;

	private final ApplicationContext context;

	private final boolean failFast;

	private volatile boolean running;

	RegistrationLifecycle(Registrar registrar, LocalInstanceFactory factory, ApplicationContext context,
			boolean failFast) {
		this.registrar = registrar;
		this.factory = factory;
		this.context = context;
		this.failFast = failFast;
	}

	@Override
	public void start() {
		this.running = true;
		if (!this.factory.canTellPort(this.context)) {
			logger.info("Not registering with Beacon: no web server is running here (a mock web environment?) and "
					+ "beacon.client.port is not set");
			return;
		}
		this.registrar.start(this.factory.create(this.context), this.failFast);
	}

	@Override
	public void stop() {
		this.registrar.stop();
		this.running = false;
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
