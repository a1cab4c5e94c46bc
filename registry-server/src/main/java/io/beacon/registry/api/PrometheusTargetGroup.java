package io.beacon.registry.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.beacon.registry.core.Instance;

/**
 * One target group of Prometheus' HTTP service discovery format: the instance's address, and
 * labels Prometheus keeps as {@code __meta_*} for relabelling ({@code __scheme__} and
 * {@code __metrics_path__} it uses directly to scrape).
 *
 * @param targets the one {@code host:port} to scrape
 * @param labels the instance's labels
 */
record PrometheusTargetGroup(List<String> targets, Map<String, String> labels) {

	/** The metadata key an instance gives its metrics path in. */
	static final String METRICS_PATH_KEY = "prometheus.path";

	static final String PREFIX = "__meta_beacon_";

	static PrometheusTargetGroup of(Instance instance) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put(PREFIX + "service", instance.service());
		labels.put(PREFIX + "instance_id", instance.instanceId());
		labels.put(PREFIX + "zone", (instance.zone() != null) ? instance.zone() : "");
		labels.put(PREFIX + "status", instance.status().name());
		// Sorted, so that when two keys sanitise to the same label the same one wins every time.
		new TreeMap<>(instance.metadata()).forEach(
				(key, value) -> labels.putIfAbsent(PREFIX + "metadata_" + labelNameOf(key), value));
		labels.put("__scheme__", instance.secure() ? "https" : "http");
		String metricsPath = instance.metadata().get(METRICS_PATH_KEY);
		if (metricsPath != null && metricsPath.startsWith("/")) {
			labels.put("__metrics_path__", metricsPath);
		}
		return new PrometheusTargetGroup(List.of(address(instance)), labels);
	}

	/** {@code host:port}, an IPv6 literal in brackets. */
	private static String address(Instance instance) {
		String host = instance.host();
		return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + instance.port();
	}

	/**
	 * A metadata key as label name syntax ({@code [a-zA-Z_][a-zA-Z0-9_]*}): every other character
	 * becomes {@code _}, the way Prometheus' own Consul and Kubernetes discovery sanitise names.
	 */
	static String labelNameOf(String key) {
		StringBuilder name = new StringBuilder(key.length());
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
			name.append(valid ? c : '_');
		}
		return name.toString();
	}

}
