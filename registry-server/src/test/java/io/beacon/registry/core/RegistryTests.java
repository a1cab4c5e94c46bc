package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RegistryTests {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final Registry registry = registry(this.clock);

	static Registry registry(MutableClock clock) {
		return new Registry(clock, clock, 100);
	}

	@Test
	void indexStartsAboveAnyIndexOfAnEarlierRun() {
		assertThat(this.registry.index()).isEqualTo(START.toEpochMilli() * 1000);
		Registry later = registry(new MutableClock(START.plusMillis(1)));
		assertThat(later.index()).isGreaterThan(this.registry.index() + 999);
	}

	@Test
	void registrationCreatesAnInstanceAndBumpsTheIndexOnce() {
		long before = this.registry.index();
		Registration registration = this.registry.register(registration("payment", "p1", 15));
		assertThat(registration.created()).isTrue();
		Instance instance = registration.instance();
		assertThat(instance.instanceId()).isEqualTo("p1");
		assertThat(instance.service()).isEqualTo("payment");
		assertThat(instance.status()).isEqualTo(InstanceStatus.UP);
		assertThat(instance.registeredAt()).isEqualTo(START);
		assertThat(instance.lastHeartbeatAt()).isEqualTo(START);
		assertThat(this.registry.index()).isEqualTo(before + 1);
	}

	@Test
	void aStepOfTheWallClockNeitherLapsesNorEvictsLeases() {
		MutableClock wall = new MutableClock(START);
		MutableClock monotonic = new MutableClock(Instant.EPOCH);
		Registry registry = new Registry(wall, monotonic, 100);
		registry.register(registration("payment", "p1", 15));
		// An NTP step far beyond three TTLs: no lease time has passed.
		wall.advance(Duration.ofHours(1));
		registry.expireLeases();
		// The next heartbeat shows the wall clock's time.
		registry.heartbeat("payment", "p1");
		assertThat(registry.instance("payment", "p1")).get()
			.extracting(Instance::lastHeartbeatAt)
			.isEqualTo(START.plus(Duration.ofHours(1)));
		assertThat(registry.instance("payment", "p1")).get()
			.extracting(Instance::status)
			.isEqualTo(InstanceStatus.UP);
		assertThat(registry.stats().lapses()).isZero();
	}

	@Test
	void registrationWithoutIdGetsOneMadeByTheRegistry() {
		Instance instance = this.registry.register(registration("payment", null, 15)).instance();
		assertThat(instance.instanceId()).isNotBlank();
		assertThat(Validation.checkInstanceId(instance.instanceId())).isNull();
	}

	@Test
	void reRegistrationWithOtherDataReplacesItKeepsRegisteredAtAndBumpsTheIndex() {
		this.registry.register(registration("payment", "p1", 15));
		this.clock.advance(Duration.ofSeconds(5));
		long before = this.registry.index();
		InstanceRegistration moved = InstanceRegistration.builder()
				.service("payment")
				.instanceId("p1")
				.host("10.0.0.9")
				.port(9090)
				.status(InstanceStatus.UP)
				.metadata(Map.of("v", "2"))
				.leaseTtl(Duration.ofSeconds(15))
				.build();
		Registration again = this.registry.register(moved);
		assertThat(again.created()).isFalse();
		assertThat(again.instance().host()).isEqualTo("10.0.0.9");
		assertThat(again.instance().port()).isEqualTo(9090);
		assertThat(again.instance().registeredAt()).isEqualTo(START);
		assertThat(again.instance().lastHeartbeatAt()).isEqualTo(START.plusSeconds(5));
		assertThat(this.registry.index()).isEqualTo(before + 1);
	}

	@Test
	void reRegistrationWithTheSameDataRenewsTheLeaseWithoutAChange() {
		this.registry.register(registration("payment", "p1", 15));
		long before = this.registry.index();
		this.clock.advance(Duration.ofSeconds(10));
		this.registry.register(registration("payment", "p1", 15));
		assertThat(this.registry.index()).isEqualTo(before);
		this.clock.advance(Duration.ofSeconds(10));
		this.registry.expireLeases();
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void heartbeatsRenewTheLeaseWithoutBumpingTheIndex() {
		this.registry.register(registration("payment", "p1", 15));
		long before = this.registry.index();
		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofSeconds(10));
			this.registry.heartbeat("payment", "p1");
			this.registry.expireLeases();
		}
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.UP);
		assertThat(this.registry.index()).isEqualTo(before);
		assertThat(this.registry.instance("payment", "p1").orElseThrow().lastHeartbeatAt())
			.isEqualTo(START.plusSeconds(100));
		assertThat(this.registry.stats().heartbeats()).isEqualTo(10);
	}

	@Test
	void heartbeatForAnUnknownInstanceIsNotFound() {
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> this.registry.heartbeat("payment", "nobody"))
			.satisfies((ex) -> {
				assertThat(ex.getService()).isEqualTo("payment");
				assertThat(ex.getInstanceId()).isEqualTo("nobody");
			});
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 15, 3600 })
	void lapsedLeaseMarksInstanceDownAtTheFirstSweepAfterTheLapse(int ttlSeconds) {
		this.registry.register(registration("payment", "p1", ttlSeconds));
		Duration ttl = Duration.ofSeconds(ttlSeconds);
		this.clock.advance(ttl.minusMillis(1));
		assertThat(this.registry.expireLeases()).isZero();
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.UP);
		long before = this.registry.index();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.registry.expireLeases()).isOne();
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.DOWN);
		assertThat(this.registry.index()).isEqualTo(before + 1);
		assertThat(this.registry.stats().lapses()).isOne();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 15, 3600 })
	void silentInstanceIsRemovedAtThreeTimesItsTtl(int ttlSeconds) {
		this.registry.register(registration("payment", "p1", ttlSeconds));
		Duration ttl = Duration.ofSeconds(ttlSeconds);
		this.clock.advance(ttl);
		this.registry.expireLeases();
		this.clock.advance(ttl.multipliedBy(2).minusMillis(1));
		this.registry.expireLeases();
		assertThat(this.registry.instance("payment", "p1")).isPresent();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.registry.expireLeases()).isOne();
		assertThat(this.registry.instance("payment", "p1")).isEmpty();
		assertThat(this.registry.services()).isEmpty();
		assertThat(this.registry.stats().evictions()).isOne();
	}

	@Test
	void heartbeatAfterALapseRestoresTheLastReportedStatus() {
		this.registry.register(registration("payment", "p1", 15));
		this.registry.updateStatus("payment", "p1", InstanceStatus.DRAINING);
		this.clock.advance(Duration.ofSeconds(16));
		this.registry.expireLeases();
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.DOWN);
		long before = this.registry.index();
		this.registry.heartbeat("payment", "p1");
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.DRAINING);
		assertThat(this.registry.index()).isEqualTo(before + 1);
	}

	@Test
	void revivedInstanceLapsesAgainOneTtlAfterItsLastHeartbeat() {
		this.registry.register(registration("payment", "p1", 10));
		this.clock.advance(Duration.ofSeconds(11));
		this.registry.expireLeases();
		this.registry.heartbeat("payment", "p1");
		this.clock.advance(Duration.ofSeconds(10));
		this.registry.expireLeases();
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void statusChangeBumpsTheIndexAndTheSameStatusDoesNot() {
		this.registry.register(registration("payment", "p1", 15));
		long before = this.registry.index();
		this.registry.updateStatus("payment", "p1", InstanceStatus.DRAINING);
		this.registry.updateStatus("payment", "p1", InstanceStatus.DRAINING);
		assertThat(this.registry.index()).isEqualTo(before + 1);
		assertThat(status("payment", "p1")).isEqualTo(InstanceStatus.DRAINING);
	}

	@Test
	void deregistrationRemovesTheInstanceAndBumpsTheIndex() {
		this.registry.register(registration("payment", "p1", 15));
		long before = this.registry.index();
		this.registry.deregister("payment", "p1");
		assertThat(this.registry.instance("payment", "p1")).isEmpty();
		assertThat(this.registry.index()).isEqualTo(before + 1);
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> this.registry.deregister("payment", "p1"));
	}

	@Test
	void serviceViewListsOnlyMatchingStatusesOrderedById() {
		this.registry.register(registration("payment", "p3", 15));
		this.registry.register(registration("payment", "p1", 15));
		this.registry.register(registration("payment", "p2", 15));
		this.registry.updateStatus("payment", "p2", InstanceStatus.DRAINING);
		ServiceView up = this.registry.service("payment", (status) -> status == InstanceStatus.UP);
		assertThat(up.instances()).extracting(Instance::instanceId).containsExactly("p1", "p3");
		ServiceView all = this.registry.service("payment", (status) -> true);
		assertThat(all.instances()).extracting(Instance::instanceId).containsExactly("p1", "p2", "p3");
		assertThat(this.registry.service("unknown", (status) -> true).instances()).isEmpty();
	}

	@Test
	void servicesCountInstancesByStatus() {
		this.registry.register(registration("payment", "p1", 15));
		this.registry.register(registration("payment", "p2", 15));
		this.registry.register(registration("order", "o1", 15));
		this.registry.updateStatus("payment", "p2", InstanceStatus.STARTING);
		List<ServiceSummary> services = this.registry.services();
		assertThat(services).extracting(ServiceSummary::service).containsExactly("order", "payment");
		ServiceSummary payment = services.get(1);
		assertThat(payment.total()).isEqualTo(2);
		assertThat(payment.counts()).containsEntry(InstanceStatus.UP, 1)
			.containsEntry(InstanceStatus.STARTING, 1)
			.containsEntry(InstanceStatus.DRAINING, 0)
			.containsEntry(InstanceStatus.DOWN, 0);
	}

	@Test
	void watchStartsWithASnapshotThenGetsEveryChangeInOrder() {
		this.registry.register(registration("payment", "p1", 15));
		this.registry.register(registration("order", "o1", 15));
		Recorder recorder = new Recorder();
		try (Watch watch = this.registry.watch(Set.of("payment"), OptionalLong.empty(), recorder)) {
			WatchStart.Snapshot snapshot = (WatchStart.Snapshot) recorder.start;
			assertThat(snapshot.index()).isEqualTo(this.registry.index());
			assertThat(snapshot.registryId()).isEqualTo(this.registry.registryId());
			assertThat(snapshot.services()).containsOnlyKeys("payment");
			assertThat(snapshot.services().get("payment")).extracting(Instance::instanceId).containsExactly("p1");
			this.registry.register(registration("payment", "p2", 15));
			this.registry.register(registration("order", "o2", 15));
			this.registry.updateStatus("payment", "p1", InstanceStatus.DRAINING);
			this.clock.advance(Duration.ofSeconds(15));
			this.registry.heartbeat("payment", "p1");
			this.registry.expireLeases();
			this.registry.deregister("payment", "p1");
			assertThat(recorder.changes).extracting(ChangeEvent::cause)
				.containsExactly(ChangeCause.REGISTERED, ChangeCause.STATUS_CHANGED, ChangeCause.LEASE_LAPSED,
						ChangeCause.DEREGISTERED);
			assertThat(recorder.changes).extracting(ChangeEvent::type)
				.containsExactly(ChangeType.REGISTERED, ChangeType.UPDATED, ChangeType.EXPIRED, ChangeType.DEREGISTERED);
			assertThat(recorder.changes).extracting((event) -> event.instance().instanceId())
				.containsExactly("p2", "p1", "p2", "p1");
			assertThat(recorder.changes).extracting(ChangeEvent::index).isSorted().doesNotHaveDuplicates();
		}
	}

	@Test
	void closedWatchGetsNothingMore() {
		Recorder recorder = new Recorder();
		Watch watch = this.registry.watch(Set.of(), OptionalLong.empty(), recorder);
		this.registry.register(registration("payment", "p1", 15));
		watch.close();
		watch.close();
		this.registry.register(registration("payment", "p2", 15));
		assertThat(recorder.changes).hasSize(1);
		assertThat(this.registry.openWatches()).isZero();
	}

	@Test
	void watchResumingWithinTheChangeLogGetsOnlyWhatItMissed() {
		this.registry.register(registration("payment", "p1", 15));
		long seen = this.registry.index();
		this.registry.register(registration("payment", "p2", 15));
		this.registry.register(registration("order", "o1", 15));
		this.registry.deregister("payment", "p1");
		Recorder recorder = new Recorder();
		try (Watch watch = this.registry.watch(Set.of("payment"), OptionalLong.of(seen), recorder)) {
			WatchStart.Replay replay = (WatchStart.Replay) recorder.start;
			assertThat(replay.index()).isEqualTo(this.registry.index());
			assertThat(replay.changes()).extracting(ChangeEvent::cause)
				.containsExactly(ChangeCause.REGISTERED, ChangeCause.DEREGISTERED);
			assertThat(replay.changes()).extracting(ChangeEvent::index).containsExactly(seen + 1, seen + 3);
		}
	}

	@Test
	void watchResumingBeyondTheChangeLogGetsAFreshSnapshot() {
		Registry small = new Registry(this.clock, this.clock, 2);
		small.register(registration("payment", "p1", 15));
		long seen = small.index();
		small.register(registration("payment", "p2", 15));
		small.register(registration("payment", "p3", 15));
		small.register(registration("payment", "p4", 15));
		Recorder recorder = new Recorder();
		try (Watch watch = small.watch(Set.of(), OptionalLong.of(seen), recorder)) {
			assertThat(recorder.start).isInstanceOf(WatchStart.Snapshot.class);
			assertThat(((WatchStart.Snapshot) recorder.start).services().get("payment")).hasSize(4);
		}
	}

	@Test
	void watchResumingWithAnIndexFromAnotherRegistryGetsASnapshot() {
		this.registry.register(registration("payment", "p1", 15));
		Recorder recorder = new Recorder();
		try (Watch watch = this.registry.watch(Set.of(), OptionalLong.of(this.registry.index() + 50), recorder)) {
			assertThat(recorder.start).isInstanceOf(WatchStart.Snapshot.class);
		}
	}

	@Test
	void watchResumingAtTheCurrentIndexGetsAnEmptyReplay() {
		this.registry.register(registration("payment", "p1", 15));
		Recorder recorder = new Recorder();
		try (Watch watch = this.registry.watch(Set.of(), OptionalLong.of(this.registry.index()), recorder)) {
			assertThat(((WatchStart.Replay) recorder.start).changes()).isEmpty();
		}
	}

	@Test
	void failingListenerIsDroppedWithoutHarmingTheRegistryOrOtherWatchers() {
		Recorder healthy = new Recorder();
		WatchListener broken = new Recorder() {
			@Override
			public void onChange(ChangeEvent event) {
				throw new IllegalStateException("boom");
			}
		};
		try (Watch first = this.registry.watch(Set.of(), OptionalLong.empty(), broken);
				Watch second = this.registry.watch(Set.of(), OptionalLong.empty(), healthy)) {
			this.registry.register(registration("payment", "p1", 15));
			this.registry.register(registration("payment", "p2", 15));
			assertThat(healthy.changes).hasSize(2);
			assertThat(this.registry.openWatches()).isEqualTo(1);
			assertThat(this.registry.instance("payment", "p2")).isPresent();
		}
	}

	private InstanceStatus status(String service, String id) {
		return this.registry.instance(service, id).orElseThrow().status();
	}

	static InstanceRegistration registration(String service, String id, int ttlSeconds) {
		return InstanceRegistration.builder()
				.service(service)
				.instanceId(id)
				.host("127.0.0.1")
				.port(8080)
				.secure(false)
				.metadata(Map.of("a", "b"))
				.leaseTtl(Duration.ofSeconds(ttlSeconds))
				.build();
	}

	static class Recorder implements WatchListener {

		WatchStart start;

		final List<ChangeEvent> changes = new ArrayList<>();

		@Override
		public void onStart(WatchStart start) {
			this.start = start;
		}

		@Override
		public void onChange(ChangeEvent event) {
			this.changes.add(event);
		}

	}

	@Test
	void countsAServiceFromItsFirstInstanceUntilItsLastLeaves() {
		assertThat(this.registry.serviceCount()).isZero();
		this.registry.register(registration("count-a", "a1", 15));
		this.registry.register(registration("count-a", "a2", 15));
		this.registry.register(registration("count-b", "b1", 15));
		assertThat(this.registry.serviceCount()).isEqualTo(2);
		this.registry.deregister("count-a", "a1");
		assertThat(this.registry.serviceCount()).isEqualTo(2);
		this.registry.deregister("count-a", "a2");
		assertThat(this.registry.serviceCount()).isEqualTo(1).isEqualTo(this.registry.services().size());
	}

}
