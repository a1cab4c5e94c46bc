package io.beacon.client.it;

import java.net.URI;

import io.beacon.registry.RegistryServerApplication;
import io.beacon.registry.core.Registry;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Beacon registry server for tests, on a random (or given) loopback port.
 */
final class RegistryServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private RegistryServer(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static RegistryServer start() {
		return start(0);
	}

	static RegistryServer start(int port) {
		return start(port, new String[0]);
	}

	/** A registry with extra command-line arguments ({@code --beacon.registry.security.enabled=true}). */
	static RegistryServer start(int port, String... extra) {
		java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=" + port,
				"--server.address=127.0.0.1", "--beacon.client.enabled=false",
				"--beacon.registry.lease-check-interval=50ms", "--spring.main.banner-mode=off",
				"--management.endpoints.web.exposure.include=health", "--server.shutdown=immediate",
				"--spring.application.name=beacon-registry"));
		args.addAll(java.util.List.of(extra));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RegistryServerApplication.class, OwnNettyResources.class)
			.web(WebApplicationType.REACTIVE)
			.run(args.toArray(String[]::new));
		return new RegistryServer(context);
	}

	int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port());
	}

	Registry registry() {
		return this.context.getBean(Registry.class);
	}

	/** The value of one of the registry's meters (a counter's count or a gauge's value). */
	double meter(String name) {
		io.micrometer.core.instrument.Meter meter = this.context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
			.get(name)
			.meter();
		return meter.measure().iterator().next().getValue();
	}

	@Override
	public void close() {
		this.context.close();
	}

}
