package io.beacon.registry.metrics;

import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusTests {

	@LocalServerPort
	int port;

	@Autowired
	Registry registry;

	@Autowired
	RegistryMetrics registryMetrics;

	@Test
	void scrapeHasTheRegistryMetersAndPassesPromtool(@TempDir Path dir) throws Exception {
		RestClient client = RestClient.create("http://127.0.0.1:" + this.port);
		client.post()
			.uri("/v1/services/prom/instances")
			.header("Content-Type", "application/json")
			.body("{\"instanceId\":\"p1\",\"host\":\"127.0.0.1\",\"port\":8080}")
			.retrieve()
			.toBodilessEntity();
		client.put().uri("/v1/services/prom/instances/p1/heartbeat").retrieve().toBodilessEntity();
		this.registry.register(InstanceRegistration.builder()
				.service("prom")
				.instanceId("p2")
				.host("127.0.0.1")
				.port(8081)
				.status(InstanceStatus.DRAINING)
				.leaseTtl(Duration.ofSeconds(15))
				.build());
		this.registryMetrics.refresh();

		String scrape = client.get().uri("/actuator/prometheus").retrieve().body(String.class);
		assertThat(scrape).contains("beacon_registry_instances{application=\"beacon-registry\",service=\"prom\",status=\"UP\"} 1.0");
		assertThat(scrape).contains("beacon_registry_instances{application=\"beacon-registry\",service=\"prom\",status=\"DRAINING\"} 1.0");
		assertThat(scrape).containsPattern("beacon_registry_heartbeats_total\\{[^}]*\\} [1-9]");
		assertThat(scrape).containsPattern("beacon_registry_registrations_total\\{[^}]*\\} [2-9]");
		assertThat(scrape).contains("beacon_registry_lapses_total", "beacon_registry_evictions_total",
				"beacon_registry_deregistrations_total", "beacon_registry_watch_streams",
				"beacon_registry_watch_events_sent_total", "beacon_registry_index");
		assertThat(scrape).containsPattern(
				"beacon_registry_api_requests_seconds_count\\{[^}]*endpoint=\"heartbeat\"[^}]*status=\"204\"[^}]*\\} 1");
		assertThat(scrape).contains("beacon_registry_api_requests_seconds_bucket");
		assertThat(scrape).contains("process_cpu_time_seconds_total", "jvm_compilation_time_seconds_total");

		Path file = dir.resolve("scrape.txt");
		Files.writeString(file, scrape, StandardCharsets.UTF_8);
		assertThat(promtool(file)).isEqualTo(0);
	}

	/**
	 * Runs {@code promtool check metrics} (Debian's prometheus package; .ci/run installs it and sets
	 * BEACON_REQUIRE_PROMTOOL, so CI fails rather than skips when it is missing).
	 */
	private static int promtool(Path file) throws IOException, InterruptedException {
		boolean required = System.getenv("BEACON_REQUIRE_PROMTOOL") != null;
		boolean present = Files.isExecutable(Path.of("/usr/bin/promtool"));
		if (!present) {
			assertThat(required).as("promtool is required (BEACON_REQUIRE_PROMTOOL) but /usr/bin/promtool is missing")
				.isFalse();
			Assumptions.abort("promtool is not installed; .ci/run installs it");
		}
		Process process = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectInput(file.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(output).as("promtool output").isEmpty();
		return process.exitValue();
	}

}
