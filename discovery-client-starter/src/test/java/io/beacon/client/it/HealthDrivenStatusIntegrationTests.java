package io.beacon.client.it;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Watch;
import io.beacon.registry.core.WatchListener;
import io.beacon.registry.core.WatchStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real health indicator in the readiness group, flipped at runtime, drives the status the real
 * registry publishes.
 */
class HealthDrivenStatusIntegrationTests {

	private RegistryServer registry;

	private ConfigurableApplicationContext app;

	private final List<ChangeEvent> changes = new CopyOnWriteArrayList<>();

	private Watch watch;

	@BeforeEach
	void startRegistry() {
		this.registry = RegistryServer.start();
		this.watch = this.registry.registry().watch(Set.of("checked"), OptionalLong.empty(), new WatchListener() {

			@Override
			public void onStart(WatchStart start) {
			}

			@Override
			public void onChange(ChangeEvent event) {
				HealthDrivenStatusIntegrationTests.this.changes.add(event);
			}

		});
	}

	@AfterEach
	void stopAll() {
		BackendApp.HEALTHY.set(true);
		if (this.app != null) {
			this.app.close();
		}
		this.watch.close();
		this.registry.close();
	}

	@Test
	void readinessGroupDownReportsTheInstanceDownAndHealthyAgainReportsItUp() {
		this.app = BackendApp.start(this.registry, "checked", "management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,toggle");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == InstanceStatus.UP);

		BackendApp.HEALTHY.set(false);
		await().atMost(Duration.ofSeconds(15)).until(() -> status(id) == InstanceStatus.DOWN);
		assertThat(this.registry.registry().instance("checked", id)).isPresent();

		BackendApp.HEALTHY.set(true);
		await().atMost(Duration.ofSeconds(15)).until(() -> status(id) == InstanceStatus.UP);
		assertThat(this.changes).extracting(ChangeEvent::cause)
			.containsSubsequence(ChangeCause.HEALTH_DOWN, ChangeCause.HEALTH_RESTORED);
		assertThat(this.changes).filteredOn((event) -> event.cause() == ChangeCause.HEALTH_DOWN)
			.extracting((event) -> event.instance().status())
			.containsExactly(InstanceStatus.DOWN);
	}

	@Test
	void healthDisabledLeavesAnUnhealthyInstanceUp() {
		this.app = BackendApp.start(this.registry, "checked", "management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,toggle",
				"beacon.client.health.enabled=false");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == InstanceStatus.UP);
		BackendApp.HEALTHY.set(false);
		// three heartbeat intervals (1 s each with the 3 s lease): enough for threshold 2 to act if it were on
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(6))
			.until(() -> status(id) == InstanceStatus.UP);
		assertThat(this.changes).extracting(ChangeEvent::cause).doesNotContain(ChangeCause.HEALTH_DOWN);
	}

	private InstanceStatus status(String id) {
		return this.registry.registry().instance("checked", id).map((instance) -> instance.status()).orElse(null);
	}

}
