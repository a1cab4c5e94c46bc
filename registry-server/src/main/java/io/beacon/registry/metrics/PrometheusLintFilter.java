package io.beacon.registry.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps the scrape clean under {@code promtool check metrics}: renames the built-in meters whose
 * names break Prometheus' naming rules, gives help text to those that have none, and replaces the
 * two CPU-time counters that Micrometer reports in milliseconds and nanoseconds with ones in
 * seconds ({@link CpuTimeInSeconds}).
 */
final class PrometheusLintFilter implements MeterFilter {

	/** Counted in ms or ns by Micrometer; registered again in seconds by {@link CpuTimeInSeconds}. */
	private static final Set<String> IN_SECONDS = Set.of("jvm.compilation.time", "process.cpu.time");

	/** A gauge must not end in {@code _count}, which Prometheus reserves for histograms and summaries. */
	private static final Map<String, String> NAMES = Map.of("system.cpu.count", "system.cpus");

	/**
	 * Help for the meters WebFlux's observations register without a description; the API's own
	 * requests are measured as {@code beacon.registry.api.requests}.
	 */
	private static final Map<String, String> HELP = Map.of("http.server.requests",
			"HTTP requests to the non-API endpoints (actuator)", "http.server.requests.active",
			"HTTP requests to the non-API endpoints (actuator) in progress");

	@Override
	public MeterFilterReply accept(Meter.Id id) {
		if (IN_SECONDS.contains(id.getName()) && !"seconds".equals(id.getBaseUnit())) {
			return MeterFilterReply.DENY;
		}
		return MeterFilterReply.NEUTRAL;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		String name = NAMES.getOrDefault(id.getName(), id.getName());
		String description = (id.getDescription() != null) ? id.getDescription() : HELP.get(id.getName());
		if (name.equals(id.getName()) && Objects.equals(description, id.getDescription())) {
			return id;
		}
		return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
	}

}
