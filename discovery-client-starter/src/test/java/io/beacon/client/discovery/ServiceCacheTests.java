package io.beacon.client.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.beacon.client.InstanceStatus;
import io.beacon.client.MutableClock;
import io.beacon.client.ServiceInstance;
import io.beacon.client.registry.WatchEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceCacheTests {

	private final MutableClock now = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ServiceCache cache = new ServiceCache(this.now, Duration.ofSeconds(15));

	@Test
	void unknownServiceHasNoView() {
		assertThat(this.cache.up("svc")).isNull();
	}

	@Test
	void onlyUpInstancesAreOfferedOrderedById() {
		this.cache.load("svc", 10, List.of(instance("b", InstanceStatus.UP), instance("a", InstanceStatus.UP),
				instance("c", InstanceStatus.STARTING), instance("d", InstanceStatus.DRAINING)));
		assertThat(ids(this.cache.up("svc"))).containsExactly("a", "b");
		assertThat(this.cache.all("svc")).hasSize(4);
	}

	@Test
	void changesApplyInIndexOrderAndOldOnesAreIgnored() {
		this.cache.load("svc", 10, List.of(instance("a", InstanceStatus.UP)));
		this.cache.apply(change(11, "registered", instance("b", InstanceStatus.UP)));
		this.cache.apply(change(12, "updated", instance("a", InstanceStatus.DRAINING)));
		this.cache.apply(change(9, "registered", instance("old", InstanceStatus.UP)));
		this.cache.apply(change(12, "deregistered", instance("b", InstanceStatus.UP)));
		assertThat(ids(this.cache.up("svc"))).containsExactly("b");
		this.cache.apply(change(13, "deregistered", instance("b", InstanceStatus.UP)));
		assertThat(this.cache.up("svc")).isEmpty();
	}

	@Test
	void anOlderFetchDoesNotOverwriteANewerView() {
		this.cache.load("svc", 20, List.of(instance("new", InstanceStatus.UP)));
		this.cache.load("svc", 15, List.of(instance("old", InstanceStatus.UP)));
		assertThat(ids(this.cache.up("svc"))).containsExactly("new");
	}

	@Test
	void snapshotFromTheSameRegistryReplacesTheView() {
		this.cache.load("svc", 10, List.of(instance("a", InstanceStatus.UP), instance("b", InstanceStatus.UP)));
		this.cache.apply(snapshot(30, List.of(instance("b", InstanceStatus.UP))), Set.of("svc"), false);
		assertThat(ids(this.cache.up("svc"))).containsExactly("b");
	}

	@Test
	void afterARegistryRestartMissingInstancesAreKeptForTheGracePeriodOnly() {
		this.cache.load("svc", 10, List.of(instance("a", InstanceStatus.UP), instance("b", InstanceStatus.UP)));
		List<DiscoveryEvent> events = new ArrayList<>();
		this.cache.addListener(events::add);
		this.cache.apply(snapshot(5_000, List.of(instance("a", InstanceStatus.UP))), Set.of("svc"), true);
		assertThat(ids(this.cache.up("svc"))).containsExactly("a", "b");
		this.now.advance(Duration.ofMillis(14_999));
		this.cache.dropExpiredCarryOvers();
		assertThat(ids(this.cache.up("svc"))).containsExactly("a", "b");
		this.now.advance(Duration.ofMillis(1));
		this.cache.dropExpiredCarryOvers();
		assertThat(ids(this.cache.up("svc"))).containsExactly("a");
		assertThat(events).extracting(DiscoveryEvent::kind)
			.containsExactly(DiscoveryEvent.Kind.RESYNC, DiscoveryEvent.Kind.DEREGISTERED);
	}

	@Test
	void aSecondSnapshotFromTheSameNewRegistryKeepsCarriedInstancesUntilTheGraceEnds() {
		this.cache.load("svc", 10, List.of(instance("a", InstanceStatus.UP), instance("b", InstanceStatus.UP)));
		this.cache.apply(snapshot(5_000, List.of(instance("a", InstanceStatus.UP))), Set.of("svc"), true);
		this.now.advance(Duration.ofMillis(5_000));
		// the stream reopens on the same new registry (another service watched): b has not come back yet
		this.cache.apply(snapshot(5_010, List.of(instance("a", InstanceStatus.UP))), Set.of("svc"), false);
		assertThat(ids(this.cache.up("svc"))).containsExactly("a", "b");
		this.now.advance(Duration.ofMillis(9_999));
		this.cache.dropExpiredCarryOvers();
		assertThat(ids(this.cache.up("svc"))).containsExactly("a", "b");
		this.now.advance(Duration.ofMillis(1));
		this.cache.dropExpiredCarryOvers();
		assertThat(ids(this.cache.up("svc"))).containsExactly("a");
	}

	@Test
	void aFetchDuringTheGraceKeepsCarriedInstancesToo() {
		this.cache.load("svc", 10, List.of(instance("a", InstanceStatus.UP), instance("b", InstanceStatus.UP)));
		this.cache.apply(snapshot(5_000, List.of(instance("a", InstanceStatus.UP))), Set.of("svc"), true);
		this.cache.load("svc", 5_010, List.of(instance("a", InstanceStatus.UP)));
		assertThat(ids(this.cache.up("svc"))).containsExactly("a", "b");
	}

	@Test
	void carriedInstanceThatComesBackIsNoLongerDropped() {
		this.cache.load("svc", 10, List.of(instance("a", InstanceStatus.UP), instance("b", InstanceStatus.UP)));
		this.cache.apply(snapshot(5_000, List.of(instance("a", InstanceStatus.UP))), Set.of("svc"), true);
		this.cache.apply(change(5_001, "registered", instance("b", InstanceStatus.UP)));
		this.now.advance(Duration.ofMillis(20_000));
		this.cache.dropExpiredCarryOvers();
		assertThat(ids(this.cache.up("svc"))).containsExactly("a", "b");
	}

	@Test
	void aFailingListenerDoesNotStopTheCache() {
		this.cache.addListener((event) -> {
			throw new IllegalStateException("boom");
		});
		this.cache.load("svc", 10, List.of(instance("a", InstanceStatus.UP)));
		assertThat(ids(this.cache.up("svc"))).containsExactly("a");
	}

	private static List<String> ids(List<ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::instanceId).toList();
	}

	private static WatchEvent.Snapshot snapshot(long index, List<ServiceInstance> instances) {
		return new WatchEvent.Snapshot(index, "registry", Map.of("svc", instances));
	}

	private static WatchEvent.Change change(long index, String type, ServiceInstance instance) {
		return new WatchEvent.Change(index, type, type, instance);
	}

	private static ServiceInstance instance(String id, InstanceStatus status) {
		return new ServiceInstance(id, "svc", "127.0.0.1", 8080, false, status, null, Map.of());
	}

}
