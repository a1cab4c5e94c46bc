package io.beacon.client.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.beacon.client.InstanceStatus;
import io.beacon.client.registry.RegistrationRequest;
import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.registry.ServiceView;
import io.beacon.client.registry.WatchEvent;
import io.beacon.client.registry.WatchIdleTimeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with 1,200 instances in a real registry: its lookup and its watch snapshot are far larger
 * than a WebClient's default 256 KiB in-memory limit.
 */
class LargeRegistryIntegrationTests {

	private static final int INSTANCES = 1_200;

	static RegistryServer registry;

	static RegistryClient client;

	@BeforeAll
	static void registerManyInstances() {
		registry = RegistryServer.start();
		client = new RegistryClient(List.of(registry.url()), Duration.ofSeconds(1), Duration.ofSeconds(5),
				RegistryCallListener.NONE);
		Map<String, String> metadata = Map.of("version", "1.4.2", "team", "payments", "commit", "0123456789abcdef");
		Flux.range(0, INSTANCES)
			.flatMap((i) -> client.register("big", new RegistrationRequest("big-" + i,
					"10.1." + (i / 250) + "." + (i % 250 + 1), 8080, false, InstanceStatus.UP, "zone-a", metadata, 60)),
					8)
			.blockLast(Duration.ofSeconds(60));
	}

	@AfterAll
	static void stopAll() {
		client.close();
		registry.close();
	}

	@Test
	void aLookupOfTwelveHundredInstancesArrivesWhole() {
		ServiceView view = client.fetch("big").block(Duration.ofSeconds(10));
		assertThat(view.instances()).hasSize(INSTANCES);
	}

	@Test
	void aWatchSnapshotOfTwelveHundredInstancesArrivesWhole() {
		WatchEvent first = client.watch(Set.of("big"), OptionalLong.empty(), WatchIdleTimeout.of(null))
			.blockFirst(Duration.ofSeconds(10));
		assertThat(first).isInstanceOfSatisfying(WatchEvent.Snapshot.class,
				(snapshot) -> assertThat(snapshot.services().get("big")).hasSize(INSTANCES));
	}

}
