package io.beacon.systemtest;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application starts while no registry runs, and registers once one appears.
 */
class RegistryAbsentAtStartupIT {

	@Test
	void appStartsWithoutARegistryAndRegistersWhenItAppears() {
		int registryPort = AppProcess.freePort();
		try (AppProcess payment = AppProcess.payment("lonely-payment", AppProcess.freePort(), registryPort, false)) {
			await().atMost(Duration.ofSeconds(120)).until(() -> Http.healthy(payment.port()));
			// the app is up and healthy; its first registration attempt fails and says so in its health
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Http.get(payment.port(), "/actuator/health").body().contains("\"registryReachable\":false"));
			assertThat(Http.get(payment.port(), "/actuator/health").body()).contains("\"status\":\"UP\"");
			try (AppProcess registry = AppProcess.registry(registryPort)) {
				long started = System.nanoTime();
				await().atMost(Duration.ofSeconds(120)).until(() -> Http.healthy(registryPort));
				long ready = System.nanoTime();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> "UP".equals(Http.status(registryPort, "payment-service", payment.instanceId())));
				System.out.println("[system-test] registry absent at startup: " + new TreeMap<>(Map.of(
						"registryReadyAfterStart_s", String.format("%.2f", (ready - started) / 1e9),
						"registeredAfterRegistryReady_s", String.format("%.2f", (System.nanoTime() - ready) / 1e9))));
			}
		}
	}

}
