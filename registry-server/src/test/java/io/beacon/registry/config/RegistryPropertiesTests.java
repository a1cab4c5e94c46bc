package io.beacon.registry.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.runner.run((context) -> {
			RegistryProperties properties = context.getBean(RegistryProperties.class);
			assertThat(properties.getDefaultLeaseTtl()).hasSeconds(15);
			assertThat(properties.getLeaseCheckInterval()).hasMillis(250);
			assertThat(properties.getMaxRequestBody().toKilobytes()).isEqualTo(64);
			assertThat(properties.getRequestReadTimeout()).hasSeconds(10);
			assertThat(properties.getWatch().getKeepAlive()).hasSeconds(15);
			assertThat(properties.getWatch().getChangeLogCapacity()).isEqualTo(8192);
			assertThat(properties.getWatch().getMaxPendingEvents()).isEqualTo(1024);
		});
	}

	@Test
	void valuesAreBound() {
		this.runner
			.withPropertyValues("beacon.registry.default-lease-ttl=30s", "beacon.registry.lease-check-interval=100ms",
					"beacon.registry.watch.change-log-capacity=100")
			.run((context) -> {
				RegistryProperties properties = context.getBean(RegistryProperties.class);
				assertThat(properties.getDefaultLeaseTtl()).hasSeconds(30);
				assertThat(properties.getLeaseCheckInterval()).hasMillis(100);
				assertThat(properties.getWatch().getChangeLogCapacity()).isEqualTo(100);
			});
	}

	@Test
	void outOfRangeValuesStopTheServerWithTheKeyNamed() {
		this.runner.withPropertyValues("beacon.registry.default-lease-ttl=2h").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("defaultLeaseTtl");
		});
		this.runner.withPropertyValues("beacon.registry.lease-check-interval=5s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("leaseCheckInterval"));
		this.runner.withPropertyValues("beacon.registry.watch.change-log-capacity=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("watch.changeLogCapacity"));
		this.runner.withPropertyValues("beacon.registry.max-request-body=100MB")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("max-request-body must be between 1KB and 16MB"));
		this.runner.withPropertyValues("beacon.registry.default-lease-ttl=soon")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(RegistryProperties.class)
	static class PropertiesConfiguration {

	}

}
