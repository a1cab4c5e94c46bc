package io.beacon.registry.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.RecordingListener;
import io.beacon.registry.core.WatchStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several replicas of the etcd store on one real etcd, leases timed by one clock the test moves:
 * who times which lease, and what happens when a replica goes away.
 */
class EtcdReplicaLivenessTests {

	@RegisterExtension
	static final EtcdReplicas etcd = new EtcdReplicas();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private EtcdRegistry replica() {
		return etcd.replica(this.clock);
	}

	private static InstanceRegistration registration(String id) {
		return InstanceRegistration.builder()
			.service("payment")
			.instanceId(id)
			.host("127.0.0.1")
			.port(8080)
			.metadata(Map.of())
			.leaseTtl(Duration.ofSeconds(15))
			.build();
	}

	@Test
	void heartbeatAtAnotherReplicaMovesTheLeaseThereAndOnlyTheOwnerLapsesIt() {
		EtcdRegistry a = replica();
		EtcdRegistry b = replica();
		a.register(registration("p1"));
		await().until(() -> b.instance("payment", "p1").isPresent());
		b.heartbeat("payment", "p1");
		this.clock.advance(Duration.ofSeconds(15));
		await().until(() -> a.expireLeases() == 0 && b.expireLeases() == 1);
		assertThat(b.stats().lapses()).isEqualTo(1);
		assertThat(a.stats().lapses()).isZero();
		await().until(() -> a.instance("payment", "p1").orElseThrow().status() == InstanceStatus.DOWN);
	}

	@Test
	void aLostConnectionReportedByAReplicaThatNoLongerOwnsTheInstanceChangesNothing() {
		EtcdRegistry a = replica();
		EtcdRegistry b = replica();
		a.register(registration("p1"));
		await().until(() -> b.instance("payment", "p1").isPresent());
		// The client reconnected its lease stream to b (an open is a heartbeat) before a saw it close.
		b.heartbeat("payment", "p1");
		assertThat(a.connectionLost("payment", "p1")).isFalse();
		assertThat(a.instance("payment", "p1").orElseThrow().status()).isEqualTo(InstanceStatus.UP);
		assertThat(b.connectionLost("payment", "p1")).isTrue();
		await().until(() -> a.instance("payment", "p1").orElseThrow().status() == InstanceStatus.DOWN);
	}

	@Test
	void onlyTheOwnerRenewsALeaseWithoutWritingToEtcdSoOnlyItsHeartbeatsStayOnTheEventLoop() {
		EtcdRegistry a = replica();
		EtcdRegistry b = replica();
		a.register(registration("p1"));
		await().until(() -> b.instance("payment", "p1").isPresent());
		assertThat(a.heartbeatBlocks("payment", "p1")).isFalse();
		assertThat(b.heartbeatBlocks("payment", "p1")).as("b must take the ownership over first").isTrue();
		assertThat(a.heartbeatBlocks("payment", "nobody")).isTrue();

		b.heartbeat("payment", "p1");
		await().until(() -> a.heartbeatBlocks("payment", "p1"));
		assertThat(b.heartbeatBlocks("payment", "p1")).isFalse();

		assertThat(b.connectionLost("payment", "p1")).isTrue();
		assertThat(b.heartbeatBlocks("payment", "p1")).as("resuming a lapsed lease is a write").isTrue();
	}

	@Test
	void instancesOfAReplicaThatWentAwayAreTakenOverOnceAfterOneTtlAndStillLapse() {
		EtcdRegistry a = replica();
		EtcdRegistry b = replica();
		EtcdRegistry c = replica();
		RecordingListener listener = new RecordingListener();
		b.watch(Set.of(), OptionalLong.empty(), listener);
		a.register(registration("p1"));
		a.register(registration("p2"));
		b.heartbeat("payment", "p2");
		etcd.close(a);
		// The first sweeps only notice the orphan: one TTL of grace for its client to heartbeat elsewhere.
		await().until(() -> {
			b.expireLeases();
			c.expireLeases();
			return b.instance("payment", "p1").isPresent();
		});
		assertThat(b.instance("payment", "p1").orElseThrow().status()).isEqualTo(InstanceStatus.UP);
		this.clock.advance(Duration.ofSeconds(15));
		await().until(() -> {
			b.expireLeases();
			c.expireLeases();
			return b.stats().lapses() + c.stats().lapses() == 2;
		});
		b.expireLeases();
		c.expireLeases();
		await().until(() -> listener.changes.stream().filter((e) -> e.cause() == ChangeCause.LEASE_LAPSED).count() == 2);
		assertThat(listener.changes).filteredOn((e) -> e.cause() == ChangeCause.LEASE_LAPSED)
			.extracting((e) -> e.instance().instanceId())
			.containsExactlyInAnyOrder("p1", "p2");
	}

	@Test
	void aReplicaStartedLaterServesEveryInstanceAtOnce() {
		EtcdRegistry a = replica();
		for (int i = 0; i < 20; i++) {
			a.register(registration("p" + i));
		}
		EtcdRegistry later = replica();
		assertThat(later.size()).isEqualTo(20);
		assertThat(later.registryId()).isEqualTo(a.registryId());
		assertThat(later.index()).isGreaterThanOrEqualTo(a.index());
	}

	@Test
	void aWatcherOfOneReplicaResumesOnAnotherWithExactlyWhatItMissed() {
		EtcdRegistry a = replica();
		EtcdRegistry b = replica();
		RecordingListener atA = new RecordingListener();
		a.watch(Set.of("payment"), OptionalLong.empty(), atA);
		a.register(registration("p1"));
		await().until(() -> atA.changes.size() == 1);
		long lastSeen = atA.changes.get(0).index();
		a.register(registration("p2"));
		a.deregister("payment", "p1");
		await().until(() -> b.index() >= a.index());
		RecordingListener atB = new RecordingListener();
		b.watch(Set.of("payment"), OptionalLong.of(lastSeen), atB);
		assertThat(atB.starts).singleElement().isInstanceOfSatisfying(WatchStart.Replay.class,
				(replay) -> assertThat(replay.changes()).extracting(ChangeEvent::cause)
					.containsExactly(ChangeCause.REGISTERED, ChangeCause.DEREGISTERED));
	}

	@Test
	void lastHeartbeatAtIsTheLastRenewalWrittenToEtcdTheSameOnEveryReplica() {
		EtcdRegistry a = replica();
		EtcdRegistry b = replica();
		Instant registeredAt = this.clock.instant();
		a.register(registration("p1"));
		await().until(() -> b.instance("payment", "p1").isPresent());
		// Heartbeats at b (which takes the lease over) and at a stay in memory: neither writes the time.
		this.clock.advance(Duration.ofSeconds(5));
		b.heartbeat("payment", "p1");
		this.clock.advance(Duration.ofSeconds(5));
		a.heartbeat("payment", "p1");
		assertThat(a.instance("payment", "p1").orElseThrow().lastHeartbeatAt()).isEqualTo(registeredAt);
		assertThat(b.instance("payment", "p1").orElseThrow().lastHeartbeatAt()).isEqualTo(registeredAt);
		// A status change is a renewal written to etcd: every replica shows its time.
		this.clock.advance(Duration.ofSeconds(5));
		Instant changedAt = this.clock.instant();
		b.updateStatus("payment", "p1", InstanceStatus.DRAINING);
		await().until(() -> a.index() >= b.index());
		assertThat(a.instance("payment", "p1").orElseThrow().lastHeartbeatAt()).isEqualTo(changedAt);
		assertThat(b.instance("payment", "p1").orElseThrow().lastHeartbeatAt()).isEqualTo(changedAt);
	}

}
