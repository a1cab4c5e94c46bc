package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link RegistryStore} does, whatever holds the state. Each implementation's test
 * class extends this and says how to make a store on a clock the test moves.
 */
public abstract class RegistryStoreContract {

	protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	protected final MutableClock clock = new MutableClock(START);

	/** A store whose leases are timed by {@link #clock}, holding no instance. */
	protected abstract RegistryStore store();

	protected static InstanceRegistration registration(String service, String id, Map<String, String> metadata) {
		return InstanceRegistration.builder()
			.service(service)
			.instanceId(id)
			.host("127.0.0.1")
			.port(8080)
			.secure(false)
			.metadata(metadata)
			.leaseTtl(Duration.ofSeconds(15))
			.build();
	}

	private static InstanceRegistration registration(String service, String id) {
		return registration(service, id, Map.of("a", "b"));
	}

	private Instance find(String service, String id) {
		return store().instance(service, id).orElseThrow();
	}

	private RecordingListener watchAll() {
		RecordingListener listener = new RecordingListener();
		store().watch(Set.of(), OptionalLong.empty(), listener);
		return listener;
	}

	@Test
	void registrationIsReadBackAtOnce() {
		Registration registration = store().register(registration("payment", "p1"));
		assertThat(registration.created()).isTrue();
		assertThat(registration.instance().status()).isEqualTo(InstanceStatus.UP);
		assertThat(find("payment", "p1").host()).isEqualTo("127.0.0.1");
		assertThat(store().service("payment", (status) -> true).instances()).extracting(Instance::instanceId)
			.containsExactly("p1");
		assertThat(store().services()).singleElement().satisfies((summary) -> {
			assertThat(summary.service()).isEqualTo("payment");
			assertThat(summary.counts()).containsEntry(InstanceStatus.UP, 1);
		});
		assertThat(store().size()).isEqualTo(1);
	}

	@Test
	void registrationWithoutIdGetsOne() {
		Instance instance = store().register(registration("payment", null)).instance();
		assertThat(Validation.checkInstanceId(instance.instanceId())).isNull();
		assertThat(store().instance("payment", instance.instanceId())).isPresent();
	}

	@Test
	void reRegistrationWithOtherDataReplacesItAndKeepsRegisteredAt() {
		store().register(registration("payment", "p1"));
		Instant registeredAt = find("payment", "p1").registeredAt();
		RecordingListener listener = watchAll();
		this.clock.advance(Duration.ofSeconds(5));
		Registration again = store().register(registration("payment", "p1", Map.of("a", "c")));
		assertThat(again.created()).isFalse();
		assertThat(find("payment", "p1").metadata()).containsEntry("a", "c");
		assertThat(find("payment", "p1").registeredAt()).isEqualTo(registeredAt);
		await().until(() -> listener.causes().equals(List.of(ChangeCause.REREGISTERED)));
	}

	@Test
	void reRegistrationWithTheSameDataTellsWatchersNothing() {
		store().register(registration("payment", "p1"));
		RecordingListener listener = watchAll();
		store().register(registration("payment", "p1"));
		store().register(registration("payment", "p2"));
		await().until(() -> !listener.changes.isEmpty());
		assertThat(listener.causes()).containsExactly(ChangeCause.REGISTERED);
	}

	@Test
	void heartbeatOrStatusOfAnUnknownInstanceIsNotFound() {
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> store().heartbeat("payment", "nope"));
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> store().updateStatus("payment", "nope", InstanceStatus.DOWN));
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> store().deregister("payment", "nope"));
	}

	@Test
	void statusChangeIsReadBackAndToldToWatchers() {
		store().register(registration("payment", "p1"));
		RecordingListener listener = watchAll();
		Instance changed = store().updateStatus("payment", "p1", InstanceStatus.DRAINING);
		assertThat(changed.status()).isEqualTo(InstanceStatus.DRAINING);
		assertThat(find("payment", "p1").status()).isEqualTo(InstanceStatus.DRAINING);
		assertThat(store().service("payment", (status) -> status == InstanceStatus.UP).instances()).isEmpty();
		await().until(() -> listener.causes().equals(List.of(ChangeCause.STATUS_CHANGED)));
	}

	@Test
	void deregistrationRemovesTheInstanceOnce() {
		store().register(registration("payment", "p1"));
		RecordingListener listener = watchAll();
		assertThat(store().deregister("payment", "p1").instanceId()).isEqualTo("p1");
		assertThat(store().instance("payment", "p1")).isEmpty();
		assertThat(store().services()).isEmpty();
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> store().deregister("payment", "p1"));
		await().until(() -> listener.causes().equals(List.of(ChangeCause.DEREGISTERED)));
	}

	@Test
	void heartbeatsKeepTheLeaseAlive() {
		store().register(registration("payment", "p1"));
		for (int i = 0; i < 4; i++) {
			this.clock.advance(Duration.ofSeconds(10));
			store().heartbeat("payment", "p1");
			store().expireLeases();
		}
		assertThat(find("payment", "p1").status()).isEqualTo(InstanceStatus.UP);
		assertThat(store().stats().lapses()).isZero();
	}

	@Test
	void lapsedLeaseMarksInstanceDown() {
		store().register(registration("payment", "p1"));
		RecordingListener listener = watchAll();
		this.clock.advance(Duration.ofSeconds(15));
		assertThat(store().expireLeases()).isEqualTo(1);
		assertThat(find("payment", "p1").status()).isEqualTo(InstanceStatus.DOWN);
		await().until(() -> listener.causes().equals(List.of(ChangeCause.LEASE_LAPSED)));
		assertThat(listener.changes.get(0).type()).isEqualTo(ChangeType.EXPIRED);
		assertThat(store().expireLeases()).isZero();
	}

	@Test
	void heartbeatAfterALapseBringsTheInstanceBack() {
		store().register(registration("payment", "p1"));
		this.clock.advance(Duration.ofSeconds(16));
		store().expireLeases();
		RecordingListener listener = watchAll();
		store().heartbeat("payment", "p1");
		await().until(() -> listener.causes().equals(List.of(ChangeCause.HEARTBEAT_RESUMED)));
		assertThat(find("payment", "p1").status()).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void silenceForThreeTtlsEvictsTheInstance() {
		store().register(registration("payment", "p1"));
		RecordingListener listener = watchAll();
		this.clock.advance(Duration.ofSeconds(15));
		store().expireLeases();
		this.clock.advance(Duration.ofSeconds(30));
		store().expireLeases();
		assertThat(store().instance("payment", "p1")).isEmpty();
		await().until(() -> listener.causes().equals(List.of(ChangeCause.LEASE_LAPSED, ChangeCause.EVICTED)));
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> store().heartbeat("payment", "p1"));
	}

	@Test
	void lostConnectionMarksInstanceDownAtOnceAndTellsWatchers() {
		store().register(registration("payment", "p1"));
		RecordingListener listener = watchAll();
		assertThat(store().connectionLost("payment", "p1")).isTrue();
		assertThat(find("payment", "p1").status()).isEqualTo(InstanceStatus.DOWN);
		await().until(() -> listener.causes().equals(List.of(ChangeCause.CONNECTION_LOST)));
		assertThat(listener.changes.get(0).type()).isEqualTo(ChangeType.EXPIRED);
		assertThat(store().service("payment", (status) -> true).instances()).hasSize(1);
	}

	@Test
	void lostConnectionOfAnInstanceAlreadyDownOrGoneChangesNothing() {
		store().register(registration("payment", "p1"));
		store().connectionLost("payment", "p1");
		RecordingListener listener = watchAll();
		assertThat(store().connectionLost("payment", "p1")).isFalse();
		assertThat(store().connectionLost("payment", "nobody")).isFalse();
		assertThat(store().connectionLost("nothing", "p1")).isFalse();
		store().deregister("payment", "p1");
		assertThat(store().connectionLost("payment", "p1")).isFalse();
		await().until(() -> listener.causes().equals(List.of(ChangeCause.DEREGISTERED)));
		assertThat(store().instance("payment", "p1")).isEmpty();
	}

	@Test
	void heartbeatAfterALostConnectionBringsTheInstanceBack() {
		store().register(registration("payment", "p1"));
		store().connectionLost("payment", "p1");
		RecordingListener listener = watchAll();
		store().heartbeat("payment", "p1");
		await().until(() -> listener.causes().equals(List.of(ChangeCause.HEARTBEAT_RESUMED)));
		assertThat(find("payment", "p1").status()).isEqualTo(InstanceStatus.UP);
		assertThat(store().connectionLost("payment", "p1")).isTrue();
		assertThat(find("payment", "p1").status()).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void instanceDownForALostConnectionIsEvictedThreeTtlsAfterItsLastHeartbeat() {
		store().register(registration("payment", "p1"));
		this.clock.advance(Duration.ofSeconds(5));
		store().heartbeat("payment", "p1");
		store().connectionLost("payment", "p1");
		RecordingListener listener = watchAll();
		this.clock.advance(Duration.ofSeconds(44));
		store().expireLeases();
		assertThat(store().instance("payment", "p1")).isPresent();
		this.clock.advance(Duration.ofSeconds(1));
		store().expireLeases();
		await().until(() -> listener.causes().equals(List.of(ChangeCause.EVICTED)));
		assertThat(store().instance("payment", "p1")).isEmpty();
	}

	@Test
	void changesHaveGrowingIndexesAndTheStoreIndexFollowsThem() {
		RecordingListener listener = watchAll();
		store().register(registration("payment", "p1"));
		store().updateStatus("payment", "p1", InstanceStatus.DRAINING);
		store().deregister("payment", "p1");
		await().until(() -> listener.changes.size() == 3);
		List<Long> indexes = listener.changes.stream().map(ChangeEvent::index).toList();
		assertThat(indexes).isSorted().doesNotHaveDuplicates();
		assertThat(store().index()).isGreaterThanOrEqualTo(indexes.get(2));
		assertThat(listener.starts).singleElement().isInstanceOf(WatchStart.Snapshot.class);
	}

	@Test
	void watcherResumingFromAnIndexGetsExactlyWhatItMissed() {
		store().register(registration("payment", "p1"));
		store().register(registration("order", "o1"));
		long seen = store().index();
		store().register(registration("payment", "p2"));
		store().register(registration("order", "o2"));
		store().deregister("payment", "p1");
		RecordingListener listener = new RecordingListener();
		store().watch(Set.of("payment"), OptionalLong.of(seen), listener);
		assertThat(listener.starts).singleElement().isInstanceOfSatisfying(WatchStart.Replay.class, (replay) -> {
			assertThat(replay.changes()).extracting(ChangeEvent::cause)
				.containsExactly(ChangeCause.REGISTERED, ChangeCause.DEREGISTERED);
			assertThat(replay.changes()).extracting((event) -> event.instance().instanceId())
				.containsExactly("p2", "p1");
			assertThat(replay.index()).isEqualTo(store().index());
		});
	}

	@Test
	void watcherWithAnIndexFromAnotherHistoryGetsASnapshot() {
		store().register(registration("payment", "p1"));
		RecordingListener listener = new RecordingListener();
		store().watch(Set.of("payment"), OptionalLong.of(store().index() + 1_000_000), listener);
		assertThat(listener.starts).singleElement().isInstanceOfSatisfying(WatchStart.Snapshot.class,
				(snapshot) -> assertThat(snapshot.services().get("payment")).extracting(Instance::instanceId)
					.containsExactly("p1"));
	}

	@Test
	void anInstanceKeepsItsOwnerAndRefusesChangesByAnother() {
		Actor alice = actor("alice");
		Actor bob = actor("bob");
		store().register(registration("payment", "p1"), alice);
		assertThat(find("payment", "p1").owner()).isEqualTo("alice");
		assertThatExceptionOfType(InstanceOwnedException.class)
			.isThrownBy(() -> store().heartbeat("payment", "p1", bob));
		assertThatExceptionOfType(InstanceOwnedException.class).isThrownBy(
				() -> store().updateStatus("payment", "p1", InstanceStatus.DOWN, ChangeCause.STATUS_CHANGED, bob));
		assertThatExceptionOfType(InstanceOwnedException.class)
			.isThrownBy(() -> store().deregister("payment", "p1", bob));
		store().heartbeat("payment", "p1", alice);
		assertThat(store().deregister("payment", "p1", alice).owner()).isEqualTo("alice");
	}

	private static Actor actor(String name) {
		return new Actor() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public boolean mayChange(String owner) {
				return owner == null || owner.equals(name);
			}
		};
	}

}
