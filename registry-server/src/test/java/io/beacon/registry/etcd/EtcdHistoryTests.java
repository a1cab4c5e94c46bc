package io.beacon.registry.etcd;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.RecordingListener;
import io.beacon.registry.core.WatchStart;
import io.beacon.registry.testing.TcpProxy;
import io.etcd.jetcd.options.CompactOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicas of the etcd store reaching back into etcd's history, on a real etcd that the tests
 * compact: a watcher resuming from further back than a replica's change log, and a replica whose
 * own watch was cut off while etcd compacted what it missed.
 */
class EtcdHistoryTests {

	@RegisterExtension
	static final EtcdReplicas etcd = new EtcdReplicas();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private EtcdRegistry replica(List<String> endpoints) {
		return etcd.replica(etcd.settings(endpoints), this.clock);
	}

	private EtcdRegistry replica() {
		return replica(etcd.endpoints());
	}

	private static InstanceRegistration registration(String service, String id) {
		return InstanceRegistration.builder()
			.service(service)
			.instanceId(id)
			.host("127.0.0.1")
			.port(8080)
			.metadata(Map.of())
			.leaseTtl(Duration.ofSeconds(15))
			.build();
	}

	/** Compacts etcd's history up to {@code revision}: older revisions can no longer be watched from. */
	private static void compact(long revision) throws Exception {
		etcd.client().getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build()).get();
	}

	@Test
	void aWatcherResumingOnAFreshReplicaGetsExactlyTheChangesItMissedFromEtcdHistory() {
		EtcdRegistry a = replica();
		RecordingListener atA = new RecordingListener();
		a.watch(Set.of("payment"), OptionalLong.empty(), atA);
		a.register(registration("payment", "p1"));
		await().until(() -> atA.changes.size() == 1);
		long lastSeen = atA.changes.get(0).index();
		a.register(registration("payment", "p2"));
		a.updateStatus("payment", "p2", InstanceStatus.DRAINING);
		a.register(registration("order", "o1"));
		a.deregister("payment", "p1");
		await().until(() -> atA.changes.size() == 4);
		// Started after all of it: its change log begins where it loaded, after lastSeen.
		EtcdRegistry later = replica();
		RecordingListener atLater = new RecordingListener();
		later.watch(Set.of("payment"), OptionalLong.of(lastSeen), atLater);
		await().until(() -> !atLater.starts.isEmpty());
		assertThat(atLater.starts).singleElement().isInstanceOfSatisfying(WatchStart.Replay.class, (replay) -> {
			assertThat(replay.changes()).containsExactlyElementsOf(atA.changes.subList(1, 4));
			assertThat(replay.changes()).extracting((event) -> event.cause())
				.containsExactly(ChangeCause.REGISTERED, ChangeCause.STATUS_CHANGED, ChangeCause.DEREGISTERED);
			assertThat(replay.index()).isEqualTo(later.index());
		});
		a.register(registration("payment", "p3"));
		await().until(() -> atA.changes.size() == 5 && atLater.changes.size() == 1);
		assertThat(atLater.changes).containsExactly(atA.changes.get(4));
	}

	@Test
	void aWatcherResumingFromACompactedRevisionGetsASnapshot() throws Exception {
		EtcdRegistry a = replica();
		a.register(registration("payment", "p1"));
		long lastSeen = a.index();
		a.register(registration("payment", "p2"));
		a.register(registration("payment", "p3"));
		compact(a.index());
		EtcdRegistry later = replica();
		RecordingListener atLater = new RecordingListener();
		later.watch(Set.of("payment"), OptionalLong.of(lastSeen), atLater);
		await().until(() -> !atLater.starts.isEmpty());
		assertThat(atLater.starts).singleElement().isInstanceOfSatisfying(WatchStart.Snapshot.class, (snapshot) -> {
			assertThat(snapshot.services().get("payment")).extracting(Instance::instanceId)
				.containsExactly("p1", "p2", "p3");
			assertThat(snapshot.index()).isEqualTo(later.index());
		});
	}

	@Test
	void aReplicaCutOffWhileEtcdCompactedWhatItMissedReloadsAndSendsItsWatchersASnapshot() throws Exception {
		int etcdPort = URI.create(etcd.endpoints().get(0)).getPort();
		try (TcpProxy network = new TcpProxy(etcdPort)) {
			EtcdRegistry cutOff = replica(List.of("http://127.0.0.1:" + network.port()));
			EtcdRegistry other = replica();
			RecordingListener watcher = new RecordingListener();
			cutOff.watch(Set.of(), OptionalLong.empty(), watcher);
			other.register(registration("payment", "p1"));
			await().until(() -> cutOff.instance("payment", "p1").isPresent());
			network.cut();
			other.register(registration("payment", "p2"));
			other.deregister("payment", "p1");
			other.register(registration("order", "o1"));
			compact(other.index());
			network.restore();
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				cutOff.expireLeases();
				return !cutOff.stale() && cutOff.index() >= other.index();
			});
			assertThat(cutOff.instance("payment", "p1")).isEmpty();
			assertThat(cutOff.instance("payment", "p2")).isPresent();
			assertThat(watcher.starts).hasSize(2);
			assertThat(watcher.starts.get(1)).isInstanceOfSatisfying(WatchStart.Snapshot.class, (snapshot) -> {
				assertThat(snapshot.services().get("payment")).extracting(Instance::instanceId).containsExactly("p2");
				assertThat(snapshot.services().get("order")).extracting(Instance::instanceId).containsExactly("o1");
			});
			// It follows etcd again from there.
			other.register(registration("payment", "p3"));
			await().until(() -> watcher.changes.stream().anyMatch((e) -> e.instance().instanceId().equals("p3")));
		}
	}

}
