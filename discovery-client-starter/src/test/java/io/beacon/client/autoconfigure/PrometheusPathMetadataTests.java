package io.beacon.client.autoconfigure;

import java.util.Map;

import io.beacon.client.actuate.PrometheusPathMetadata;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code prometheus.path} metadata follows whether the actuator really exposes its Prometheus
 * endpoint over HTTP.
 */
class PrometheusPathMetadataTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				MetricsAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
				BeaconPrometheusMetadataAutoConfiguration.class));

	@Test
	void anExposedPrometheusEndpointIsRegisteredAsTheMetricsPath() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health,prometheus")
			.run((context) -> assertThat(context.getBean(PrometheusPathMetadata.class).metadata())
				.containsExactly(Map.entry("prometheus.path", "/actuator/prometheus")));
	}

	@Test
	void theBasePathAndContextPathArePartOfTheMetricsPath() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=prometheus",
					"management.endpoints.web.base-path=/manage", "spring.webflux.base-path=/shop/")
			.run((context) -> assertThat(context.getBean(PrometheusPathMetadata.class).metadata())
				.containsEntry("prometheus.path", "/shop/manage/prometheus"));
	}

	@Test
	void anUnexposedPrometheusEndpointAddsNothing() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context.getBean(PrometheusPathMetadata.class).metadata()).isEmpty());
	}

	@Test
	void aSeparateManagementPortAddsNothing() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=prometheus", "management.server.port=9001")
			.run((context) -> assertThat(context.getBean(PrometheusPathMetadata.class).metadata()).isEmpty());
	}

	@Test
	void withoutTheActuatorNothingLoads() {
		this.runner.withClassLoader(new FilteredClassLoader(PathMappedEndpoints.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PrometheusPathMetadata.class));
	}

	@Test
	void registrationDisabledAddsNothing() {
		this.runner.withPropertyValues("beacon.client.registration.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PrometheusPathMetadata.class));
	}

}
