package io.beacon.registry.metrics;

import java.time.Duration;

import io.beacon.registry.core.Registry;
import io.beacon.registry.schedule.PeriodicTask;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the registry's meters.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	private static final Duration INSTANCE_COUNTS_REFRESH = Duration.ofSeconds(5);

	@Bean
	RegistryMetrics registryMetrics(Registry registry) {
		return new RegistryMetrics(registry);
	}

	/** Recomputes the instance counts by service and status for the next scrape. */
	@Bean
	PeriodicTask instanceCountsRefresh(RegistryMetrics registryMetrics) {
		return new PeriodicTask("instance counts", INSTANCE_COUNTS_REFRESH, registryMetrics::refresh);
	}

	@Bean
	PrometheusLintFilter prometheusLintFilter() {
		return new PrometheusLintFilter();
	}

	@Bean
	CpuTimeInSeconds cpuTimeInSeconds(ObjectProvider<MeterRegistry> meterRegistry) {
		return new CpuTimeInSeconds(meterRegistry);
	}

}
