package io.beacon.registry.config;

import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.etcd.EtcdReplicas;
import io.beacon.registry.etcd.EtcdRegistry;
import io.beacon.registry.etcd.EtcdStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EtcdEarlyStart}: with the etcd store, etcd is asked before the context is refreshed and the
 * store takes the answers over; otherwise nothing happens. Against a real etcd on loopback.
 */
class EtcdEarlyStartTests {

	@RegisterExtension
	static final EtcdReplicas etcd = new EtcdReplicas();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer(new EtcdEarlyStart())
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(StoreSelectionTests.PropertiesConfiguration.class, RegistryConfiguration.class,
				EtcdStoreConfiguration.class);

	@Test
	void theEtcdStoreTakesOverWhatWasAskedBeforeTheRefresh() {
		this.runner.withPropertyValues("beacon.registry.store=etcd",
				"beacon.registry.etcd.endpoints=" + String.join(",", etcd.endpoints()),
				"beacon.registry.etcd.prefix=/early-start")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(EtcdStart.class);
				EtcdStart start = context.getBean(EtcdStart.class);
				assertThat(start.settings().endpoints()).isEqualTo(etcd.endpoints());
				assertThat(start.settings().prefix()).isEqualTo("/early-start");
				assertThat(start.takenOver()).isTrue();
				assertThat(context.getBean(RegistryStore.class)).isInstanceOf(EtcdRegistry.class);
				assertThat(context.getBean(RegistryStore.class).stale()).isFalse();
			});
	}

	@Test
	void theMemoryStoreAsksNothing() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EtcdStart.class));
	}

	@Test
	void settingsItCannotUseAreLeftToTheStoresValidation() {
		this.runner.withPropertyValues("beacon.registry.store=etcd", "beacon.registry.etcd.endpoints=127.0.0.1:2379")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("beacon.registry.etcd.endpoints"));
		GenericApplicationContext context = new GenericApplicationContext();
		TestPropertyValues.of("beacon.registry.store=etcd", "beacon.registry.etcd.endpoints=127.0.0.1:2379")
			.applyTo(context);
		new EtcdEarlyStart().initialize(context);
		assertThat(context.getBeanFactory().containsSingleton(EtcdEarlyStart.BEAN_NAME)).isFalse();
	}

}
