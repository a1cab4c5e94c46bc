package io.beacon.client.it;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.beacon.client.registration.Registrar;
import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Watch;
import io.beacon.registry.core.WatchListener;
import io.beacon.registry.core.WatchStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registered application holds its lease stream to a real registry: across a registry restart,
 * and closed only after it deregistered. The registry's grace is its shortest (10 ms), so a stream
 * closed too early would show as connection_lost.
 */
class LeaseStreamIntegrationTests {

	private static final String SHORT_GRACE = "--beacon.registry.connection-grace=10ms";

	RegistryServer registry;

	ConfigurableApplicationContext app;

	@AfterEach
	void stopAll() {
		if (this.app != null) {
			this.app.close();
		}
		if (this.registry != null) {
			this.registry.close();
		}
	}

	@Test
	void aRegisteredAppHoldsItsLeaseStream() {
		this.registry = RegistryServer.start(0, SHORT_GRACE);
		this.app = BackendApp.start(this.registry, "held");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10)).until(() -> status("held", id) == InstanceStatus.UP);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.app.getBean(Registrar.class).holdsLeaseStream());
		assertThat(this.registry.meter("beacon.registry.lease.streams")).isEqualTo(1);
		assertThat(this.app.getBean(io.beacon.client.actuate.BeaconEndpoint.class).beacon())
			.containsEntry("leaseStreamHeld", true);
	}

	@Test
	void anAppWithTheLeaseStreamTurnedOffOnlyHeartbeats() {
		this.registry = RegistryServer.start(0, SHORT_GRACE);
		this.app = BackendApp.start(this.registry, "plain", "beacon.client.lease-stream.enabled=false");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10)).until(() -> status("plain", id) == InstanceStatus.UP);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.registry().stats().heartbeats() >= 2);
		assertThat(this.app.getBean(Registrar.class).holdsLeaseStream()).isFalse();
		assertThat(this.registry.meter("beacon.registry.lease.streams")).isZero();
	}

	@Test
	void afterARegistryRestartTheAppRegistersAgainAndReopensItsStreamWithoutBeingMarkedDown() {
		this.registry = RegistryServer.start(0, SHORT_GRACE);
		int port = this.registry.port();
		this.app = BackendApp.start(this.registry, "survivor");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		Registrar registrar = this.app.getBean(Registrar.class);
		await().atMost(Duration.ofSeconds(10)).until(registrar::holdsLeaseStream);
		this.registry.close();
		this.registry = RegistryServer.start(port, SHORT_GRACE);
		List<String> causes = new CopyOnWriteArrayList<>();
		try (Watch watch = watch("survivor", causes)) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> status("survivor", id) == InstanceStatus.UP && registrar.holdsLeaseStream()
						&& this.registry.meter("beacon.registry.lease.streams") == 1);
			assertThat(causes).doesNotContain("CONNECTION_LOST:DOWN", "LEASE_LAPSED:DOWN");
			assertThat(this.registry.meter("beacon.registry.lease.connections.lost")).isZero();
		}
	}

	@Test
	void closingTheAppDeregistersItBeforeClosingItsStream() {
		this.registry = RegistryServer.start(0, SHORT_GRACE);
		this.app = BackendApp.start(this.registry, "leaving");
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.app.getBean(Registrar.class).holdsLeaseStream()
				&& status("leaving", id) == InstanceStatus.UP);
		List<String> causes = new CopyOnWriteArrayList<>();
		try (Watch watch = watch("leaving", causes)) {
			this.app.close();
			this.app = null;
			await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.meter("beacon.registry.lease.streams") == 0);
			assertThat(causes).containsExactly("STATUS_CHANGED:DRAINING", "DEREGISTERED:DRAINING");
			assertThat(this.registry.meter("beacon.registry.lease.connections.lost")).isZero();
		}
	}

	private Watch watch(String service, List<String> causes) {
		return this.registry.registry().watch(Set.of(service), OptionalLong.empty(), new WatchListener() {

			@Override
			public void onStart(WatchStart start) {
			}

			@Override
			public void onChange(ChangeEvent event) {
				causes.add(event.cause().name() + ":" + event.instance().status());
			}

		});
	}

	private InstanceStatus status(String service, String id) {
		return this.registry.registry().instance(service, id).map(Instance::status).orElse(null);
	}

}
