package io.beacon.registry.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.RegistryStats;
import io.beacon.registry.core.ServiceSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;


/**
 * The registry's meters. Totals are read from the core's counters when scraped; instance counts by
 * service and status are recomputed by {@link #refresh()} every few seconds on the registry's
 * scheduler (services come and go, so those gauges are a {@link MultiGauge}).
 */
public class RegistryMetrics implements MeterBinder {

	private final Registry registry;

	private volatile MultiGauge instances;

	public RegistryMetrics(Registry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		RegistryStats stats = this.registry.stats();
		counter(meters, "beacon.registry.registrations", "Registrations, new and repeated", stats,
				RegistryStats::registrations);
		counter(meters, "beacon.registry.heartbeats", "Accepted heartbeats", stats, RegistryStats::heartbeats);
		counter(meters, "beacon.registry.lapses", "Leases that lapsed (instance marked DOWN)", stats,
				RegistryStats::lapses);
		counter(meters, "beacon.registry.evictions", "Instances removed after 3 lease TTLs without a heartbeat",
				stats, RegistryStats::evictions);
		counter(meters, "beacon.registry.deregistrations", "Instances deregistered by their clients", stats,
				RegistryStats::deregistrations);
		Gauge.builder("beacon.registry.watch.streams", this.registry, Registry::openWatches)
			.description("Open watch streams")
			.register(meters);
		Gauge.builder("beacon.registry.index", this.registry, Registry::index)
			.description("The registry index (bumped by every change)")
			.register(meters);
		this.instances = MultiGauge.builder("beacon.registry.instances")
			.description("Registered instances by service and status")
			.register(meters);
		refresh();
	}

	private static void counter(MeterRegistry meters, String name, String description, RegistryStats stats,
			java.util.function.ToDoubleFunction<RegistryStats> value) {
		FunctionCounter.builder(name, stats, value).description(description).register(meters);
	}

	/** Recomputes the instance counts by service and status. */
	public void refresh() {
		MultiGauge gauge = this.instances;
		if (gauge == null) {
			return;
		}
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (ServiceSummary summary : this.registry.services()) {
			for (Map.Entry<InstanceStatus, Integer> count : summary.counts().entrySet()) {
				rows.add(MultiGauge.Row.of(Tags.of("service", summary.service(), "status", count.getKey().name()),
						count.getValue()));
			}
		}
		gauge.register(rows, true);
	}

}
