package io.beacon.sidecar;

import java.util.Map;

import io.beacon.client.autoconfigure.BeaconRegistrationAutoConfiguration;
import io.beacon.sidecar.lifecycle.Sidecar;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Beacon sidecar: {@code java -jar beacon-sidecar.jar --beacon.sidecar.service-name=... --beacon.sidecar.app-port=...}.
 * It runs no web server of its own (the proxy is plain Reactor Netty), and not the starter's
 * self-registration: it registers the app it stands for. It exits on SIGTERM after draining, or
 * when the app it started exits, with the app's exit code.
 */
@SpringBootApplication(exclude = BeaconRegistrationAutoConfiguration.class)
public class SidecarApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SidecarApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// defaults in code, not an application.yml: the sidecar reads only what its user gives it
		application.setDefaultProperties(Map.of("spring.application.name", "beacon-sidecar"));
		ConfigurableApplicationContext context = application.run(args);
		// Blocks until SIGTERM (null) or until the app the sidecar started exits (its exit code).
		Integer appExitCode = context.getBean(Sidecar.class).ended().join();
		if (appExitCode != null) {
			System.exit(SpringApplication.exit(context, () -> appExitCode));
		}
	}

}
