package io.beacon.registry.config;

import io.beacon.registry.core.Registry;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.etcd.EtcdRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code beacon.registry.store} picks the store; the etcd settings are checked before any connection. */
class StoreSelectionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(PropertiesConfiguration.class, RegistryConfiguration.class,
				EtcdStoreConfiguration.class);

	@Test
	void theMemoryStoreIsTheDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RegistryStore.class);
			assertThat(context.getBean(RegistryStore.class)).isInstanceOf(Registry.class);
			assertThat(context).doesNotHaveBean(EtcdRegistry.class);
		});
	}

	@Test
	void anEndpointThatIsNoUrlFailsStartupNamingTheKey() {
		this.runner.withPropertyValues("beacon.registry.store=etcd", "beacon.registry.etcd.endpoints=127.0.0.1:2379")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("beacon.registry.etcd.endpoints"));
	}

	@Test
	void aPrefixEndingInASlashFailsStartupNamingTheKey() {
		this.runner.withPropertyValues("beacon.registry.store=etcd", "beacon.registry.etcd.prefix=/beacon/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("beacon.registry.etcd")
				.hasMessageContaining("prefix"));
	}

	@Test
	void anUnknownStoreFailsStartupNamingTheKey() {
		this.runner.withPropertyValues("beacon.registry.store=redis")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("beacon.registry.store"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ RegistryProperties.class, EtcdProperties.class })
	static class PropertiesConfiguration {

	}

}
