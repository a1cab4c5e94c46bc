package io.beacon.registry.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
		Traffic traffic = new Traffic(this.port);
		traffic.everyKindOfApiCall();
		traffic.actuatorCalls();
		this.registry.register(InstanceRegistration.builder()
			.service("prom")
			.instanceId("p2")
			.host("127.0.0.1")
			.port(8081)
			.status(InstanceStatus.DRAINING)
			.leaseTtl(Duration.ofSeconds(15))
			.build());
		this.registryMetrics.refresh();

		String scrape = traffic.send("GET", "/actuator/prometheus", null).body();
		assertThat(scrape).contains("beacon_registry_instances{application=\"beacon-registry\",service=\"prom\",status=\"UP\"} 1.0");
		assertThat(scrape).contains("beacon_registry_instances{application=\"beacon-registry\",service=\"prom\",status=\"DRAINING\"} 1.0");
		assertThat(scrape).containsPattern("beacon_registry_heartbeats_total\\{[^}]*\\} [1-9]");
		assertThat(scrape).containsPattern("beacon_registry_registrations_total\\{[^}]*\\} [2-9]");
		assertThat(scrape).contains("beacon_registry_lapses_total", "beacon_registry_evictions_total",
				"beacon_registry_deregistrations_total", "beacon_registry_watch_streams",
				"beacon_registry_watch_events_sent_total", "beacon_registry_index");
		assertThat(scrape).containsPattern(
				"beacon_registry_api_requests_seconds_count\\{[^}]*endpoint=\"heartbeat\"[^}]*status=\"204\"[^}]*\\} 1");
		for (String endpoint : new String[] { "register", "heartbeat", "status", "get-instance", "deregister",
				"get-service", "list-services", "watch", "unmatched" }) {
			assertThat(scrape).contains("endpoint=\"" + endpoint + "\"");
		}
		assertThat(scrape).contains("status=\"404\"", "status=\"400\"", "status=\"405\"");
		assertThat(scrape).contains("beacon_registry_api_requests_seconds_bucket");
		// the actuator's own requests, measured by WebFlux
		assertThat(scrape).contains("http_server_requests_seconds_count");
		assertThat(scrape).contains("process_cpu_time_seconds_total", "jvm_compilation_time_seconds_total");

		Path file = dir.resolve("scrape.txt");
		Files.writeString(file, scrape, StandardCharsets.UTF_8);
		assertThat(promtool(file)).isEqualTo(0);
	}

	/**
	 * Real requests of every kind the server answers, over HTTP.
	 */
	private static final class Traffic {

		private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

		// HTTP/1.1 without an upgrade offer, and a bound on every call: a lost answer fails the test
		// instead of hanging the build
		private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		private final String base;

		Traffic(int port) {
			this.base = "http://127.0.0.1:" + port;
		}

		void everyKindOfApiCall() throws Exception {
			String instance = "/v1/services/prom/instances/p1";
			String body = "{\"instanceId\":\"p1\",\"host\":\"127.0.0.1\",\"port\":8080}";
			expect(201, send("POST", "/v1/services/prom/instances", body));
			expect(200, send("POST", "/v1/services/prom/instances", body));
			expect(204, send("PUT", instance + "/heartbeat", null));
			expect(200, send("PUT", instance + "/status", "{\"status\":\"UP\"}"));
			expect(200, send("GET", instance, null));
			expect(200, send("GET", "/v1/services/prom", null));
			expect(200, send("GET", "/v1/services", null));
			watchUntilTheSnapshot();
			expect(201, send("POST", "/v1/services/gone/instances", body));
			expect(204, send("DELETE", "/v1/services/gone/instances/p1", null));
			// errors: unknown instance, malformed body, wrong method, no such path
			expect(404, send("PUT", "/v1/services/gone/instances/p1/heartbeat", null));
			expect(400, send("POST", "/v1/services/prom/instances", "{\"host\":"));
			expect(405, send("PATCH", instance, null));
			expect(404, send("GET", "/v1/nothing-here", null));
		}

		void actuatorCalls() throws Exception {
			expect(200, send("GET", "/actuator/health", null));
			expect(200, send("GET", "/actuator/metrics", null));
			expect(200, send("GET", "/actuator/prometheus", null));
			expect(404, send("GET", "/actuator/nothing-here", null));
		}

		private void watchUntilTheSnapshot() throws Exception {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/v1/watch?service=prom"))
				.timeout(CALL_TIMEOUT)
				.header("Accept", "text/event-stream")
				.build();
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			expect(200, response);
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null && !line.equals("event: snapshot")) {
					// read up to the snapshot, then hang up
				}
				assertThat(line).isEqualTo("event: snapshot");
			}
		}

		HttpResponse<String> send(String method, String path, String json) throws Exception {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
				.timeout(CALL_TIMEOUT)
				.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json)
						: HttpRequest.BodyPublishers.noBody());
			if (json != null) {
				request.header("Content-Type", "application/json");
			}
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		private static void expect(int status, HttpResponse<?> response) {
			assertThat(response.statusCode()).as(response.request().method() + " " + response.uri()).isEqualTo(status);
		}

	}

	/**
	 * Runs {@code promtool check metrics} (Debian's prometheus package; .ci/run installs it and sets
	 * BEACON_REQUIRE_PROMTOOL or BEACON_REQUIRE_TOOLS=1, so CI fails rather than skips when it is
	 * missing).
	 */
	private static int promtool(Path file) throws IOException, InterruptedException {
		boolean required = System.getenv("BEACON_REQUIRE_PROMTOOL") != null
				|| "1".equals(System.getenv("BEACON_REQUIRE_TOOLS"));
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
