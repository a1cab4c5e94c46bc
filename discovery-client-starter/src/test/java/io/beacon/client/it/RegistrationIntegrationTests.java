package io.beacon.client.it;

import java.time.Duration;
import java.util.List;

import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationState;
import io.beacon.registry.core.Instance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RegistrationIntegrationTests {

	RegistryServer registry;

	ConfigurableApplicationContext app;

	@BeforeEach
	void startRegistry() {
		this.registry = RegistryServer.start();
	}

	@AfterEach
	void stopAll() {
		if (this.app != null) {
			this.app.close();
		}
		this.registry.close();
	}

	@Test
	void appBoundToLoopbackRegistersLoopbackOnStartAndIsUpOnceReady() {
		this.app = BackendApp.start(this.registry, "greeter");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(status("greeter", id)).isEqualTo(io.beacon.registry.core.InstanceStatus.UP));
		Instance instance = this.registry.registry().instance("greeter", id).orElseThrow();
		assertThat(instance.host()).isEqualTo("127.0.0.1");
		assertThat(instance.port()).isEqualTo(BackendApp.port(this.app));
		assertThat(instance.leaseTtl()).isEqualTo(Duration.ofSeconds(3));
		assertThat(this.app.getBean(Registrar.class).snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
	}

	@Test
	void heartbeatsKeepTheLeaseLongPastItsTtl() {
		this.app = BackendApp.start(this.registry, "steady");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> status("steady", id) == io.beacon.registry.core.InstanceStatus.UP);
		await().during(Duration.ofSeconds(7))
			.atMost(Duration.ofSeconds(9))
			.until(() -> status("steady", id) == io.beacon.registry.core.InstanceStatus.UP);
		assertThat(this.registry.registry().stats().heartbeats()).isGreaterThanOrEqualTo(5);
		assertThat(this.registry.registry().stats().lapses()).isZero();
	}

	@Test
	void appRegistersAgainWhenTheRegistryForgetsIt() {
		this.app = BackendApp.start(this.registry, "forgotten");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> status("forgotten", id) == io.beacon.registry.core.InstanceStatus.UP);
		this.registry.registry().deregister("forgotten", id);
		assertThat(this.registry.registry().instance("forgotten", id)).isEmpty();
		// one heartbeat interval is 1 s with a 3 s lease
		await().atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(status("forgotten", id)).isEqualTo(io.beacon.registry.core.InstanceStatus.UP));
	}

	@Test
	void closingTheAppDrainsThenDeregistersIt() {
		this.app = BackendApp.start(this.registry, "leaving");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> status("leaving", id) == io.beacon.registry.core.InstanceStatus.UP);
		List<String> causes = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (var watch = this.registry.registry().watch(java.util.Set.of("leaving"), java.util.OptionalLong.empty(),
				new io.beacon.registry.core.WatchListener() {
					@Override
					public void onStart(io.beacon.registry.core.WatchStart start) {
					}

					@Override
					public void onChange(io.beacon.registry.core.ChangeEvent event) {
						causes.add(event.cause().name() + ":" + event.instance().status());
					}
				})) {
			this.app.close();
			this.app = null;
			assertThat(causes).containsExactly("STATUS_CHANGED:DRAINING", "DEREGISTERED:DRAINING");
		}
	}

	private io.beacon.registry.core.InstanceStatus status(String service, String id) {
		return this.registry.registry().instance(service, id).map(Instance::status).orElse(null);
	}

}
