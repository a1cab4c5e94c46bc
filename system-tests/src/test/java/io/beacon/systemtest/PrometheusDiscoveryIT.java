package io.beacon.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real, unmodified Prometheus finds the samples through the registry's HTTP service discovery
 * ({@code http_sd_configs} on {@code /v1/prometheus/targets}), scrapes each UP instance on the path it
 * registered ({@code /actuator/prometheus}), and drops an instance once it has left the registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusDiscoveryIT {

	private final List<AppProcess> processes = new ArrayList<>();

	private int registryPort;

	private PrometheusProcess prometheus;

	@BeforeAll
	void startStack() {
		PrometheusProcess.assumeInstalled();
		this.registryPort = AppProcess.freePort();
		AppProcess registry = track(AppProcess.registry(this.registryPort));
		registry.awaitHealthy();
		track(AppProcess.payment("prom-payment-1", AppProcess.freePort(), this.registryPort, false));
		track(AppProcess.payment("prom-payment-2", AppProcess.freePort(), this.registryPort, false));
		track(AppProcess.order(AppProcess.freePort(), this.registryPort));
		this.processes.forEach(AppProcess::awaitHealthy);
		this.prometheus = PrometheusProcess.start("""
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				scrape_configs:
				  - job_name: beacon
				    http_sd_configs:
				      - url: http://127.0.0.1:%d/v1/prometheus/targets
				        refresh_interval: 1s
				    relabel_configs:
				      - source_labels: [__meta_beacon_service]
				        target_label: service
				      - source_labels: [__meta_beacon_instance_id]
				        target_label: instance
				""".formatted(this.registryPort));
	}

	@AfterAll
	void stopStack() throws Exception {
		if (this.prometheus != null) {
			this.prometheus.close();
		}
		List<AppProcess> reversed = new ArrayList<>(this.processes);
		Collections.reverse(reversed);
		reversed.forEach(AppProcess::close);
	}

	@Test
	void everyUpInstanceIsAHealthyTargetAndADeregisteredOneLeaves() throws Exception {
		List<AppProcess> samples = this.processes.subList(1, this.processes.size());
		long start = System.nanoTime();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			Map<String, JsonNode> targets = activeTargets();
			for (AppProcess sample : samples) {
				JsonNode target = targets.get(sample.instanceId());
				assertThat(target).as("target for " + sample.name()).isNotNull();
				assertThat(target.get("health").stringValue()).as(sample.name() + " health").isEqualTo("up");
				assertThat(target.get("scrapeUrl").stringValue())
					.isEqualTo("http://" + sample.instanceId() + "/actuator/prometheus");
			}
			assertThat(targets).hasSize(samples.size());
		});
		double allUpAfter = (System.nanoTime() - start) / 1e9;
		Map<String, JsonNode> targets = activeTargets();
		assertThat(targets.get(samples.get(0).instanceId()).get("labels").get("service").stringValue())
			.isEqualTo("payment-service");

		AppProcess leaving = samples.get(0);
		long stoppedAt = System.nanoTime();
		leaving.terminate(Duration.ofSeconds(30));
		assertThat(Http.status(this.registryPort, "payment-service", leaving.instanceId())).isNull();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
			.until(() -> !activeTargets().containsKey(leaving.instanceId()));
		double goneAfter = (System.nanoTime() - stoppedAt) / 1e9;
		assertThat(activeTargets()).containsOnlyKeys(samples.get(1).instanceId(), samples.get(2).instanceId());
		System.out.printf("[system-test] prometheus: {allTargetsHealthyAfter_s=%.2f, goneAfterSigterm_s=%.2f}%n",
				allUpAfter, goneAfter);
	}

	/** Prometheus' active targets of the beacon job, by instance id. */
	private Map<String, JsonNode> activeTargets() {
		JsonNode body = Http.json(Http.get(this.prometheus.port(), "/api/v1/targets?state=active"));
		Map<String, JsonNode> targets = new HashMap<>();
		for (JsonNode target : body.get("data").get("activeTargets")) {
			if ("beacon".equals(target.get("scrapePool").stringValue())) {
				targets.put(target.get("discoveredLabels").get("__meta_beacon_instance_id").stringValue(), target);
			}
		}
		return targets;
	}

	private AppProcess track(AppProcess process) {
		this.processes.add(process);
		return process;
	}


}
