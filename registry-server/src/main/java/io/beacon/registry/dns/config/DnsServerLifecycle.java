package io.beacon.registry.dns.config;

import io.beacon.registry.dns.server.DnsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the DNS server with the application and stops it, with its event loop, on shutdown.
 */
public final class DnsServerLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DnsServerLifecycle.class);

	private final DnsServer server;

	private final String domain;

	DnsServerLifecycle(DnsServer server, String domain) {
		this.server = server;
		this.domain = domain;
	}

	@Override
	public void start() {
		this.server.start();
		logger.info("DNS for *.service.{} on UDP and TCP port {}", this.domain, this.server.port());
	}

	@Override
	public void stop() {
		this.server.stop();
	}

	@Override
	public boolean isRunning() {
		return this.server.isRunning();
	}

	/** The port the server listens on (useful when it was configured as 0). */
	public int port() {
		return this.server.port();
	}

}
