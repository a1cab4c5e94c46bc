package io.beacon.registry.metrics;

import io.beacon.registry.core.Registry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the registry's meters.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	RegistryMetrics registryMetrics(Registry registry) {
		return new RegistryMetrics(registry);
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
