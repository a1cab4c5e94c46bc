package io.beacon.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.beacon.bench.http.RegistryClient;
import io.netty.handler.codec.http.HttpMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the soak samples from the registry every minute: UP instances, counters, heap after a full GC. */
final class RegistryProbe {

	private final RegistryClient registry;

	private final long pid;

	private final JsonMapper json = JsonMapper.builder().build();

	RegistryProbe(RegistryClient registry, long pid) {
		this.registry = registry;
		this.pid = pid;
	}

	/** The UP instances of all services, from {@code GET /v1/services}. */
	int upInstances() {
		JsonNode body = this.json.readTree(this.registry.send(HttpMethod.GET, "/v1/services", null).body());
		int up = 0;
		for (JsonNode service : body.path("services")) {
			up += service.path("counts").path("UP").asInt();
		}
		return up;
	}

	/** The Prometheus exposition of the registry's metrics. */
	String metrics() {
		return this.registry.send(HttpMethod.GET, "/actuator/prometheus", null).body();
	}

	/** The value of the first sample of {@code name} in a Prometheus text exposition, or "?" if absent. */
	static String sample(String exposition, String name) {
		for (String line : exposition.split("\n")) {
			if (line.startsWith(name) && line.length() > name.length()
					&& (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')) {
				return line.substring(line.lastIndexOf(' ') + 1);
			}
		}
		return "?";
	}

	/** A full GC through jcmd, then the used heap in KB (0 when jcmd's answer has no figure). */
	long heapAfterGcKb() throws IOException, InterruptedException {
		run("jcmd", Long.toString(this.pid), "GC.run");
		String info = run("jcmd", Long.toString(this.pid), "GC.heap_info");
		int used = info.indexOf("used ");
		if (used < 0) {
			return 0;
		}
		int end = info.indexOf('K', used);
		return (end > 0) ? Long.parseLong(info.substring(used + 5, end).trim()) : 0;
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroy();
		}
		return out;
	}

}
