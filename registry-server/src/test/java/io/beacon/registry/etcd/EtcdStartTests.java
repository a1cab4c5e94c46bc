package io.beacon.registry.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.MutableClock;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtcdStart}: what a replica asks etcd before its context exists, taken over later, against a
 * real etcd. A start taken over late must not hand the replica a session lease that expired meanwhile.
 */
class EtcdStartTests {

	@RegisterExtension
	static final EtcdReplicas etcd = new EtcdReplicas();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private EtcdSettings settings(Duration sessionTtl) {
		EtcdSettings settings = etcd.settings(etcd.endpoints());
		return new EtcdSettings(settings.endpoints(), settings.prefix(), settings.connectTimeout(),
				settings.requestTimeout(), sessionTtl);
	}

	@Test
	void aLeaseTakenOverSoonIsKeptAndOneOlderThanHalfItsTtlIsNot() throws Exception {
		try (EtcdStart start = EtcdStart.begin(settings(Duration.ofSeconds(10)))) {
			assertThat(start.freshLease(Duration.ofSeconds(5))).isPresent();
		}
		try (EtcdStart start = EtcdStart.begin(settings(Duration.ofSeconds(2)))) {
			assertThat(start.freshLease(Duration.ofSeconds(5))).isPresent();
			// Past half its TTL (1 s) it is no longer handed out, and it stays so.
			await().atMost(Duration.ofSeconds(10)).until(() -> start.freshLease(Duration.ofSeconds(5)).isEmpty());
			assertThat(start.freshLease(Duration.ofSeconds(5))).isEmpty();
		}
	}

	@Test
	void aReplicaTakingOverAStartWhoseLeaseExpiredOwnsWhatItRegisters() throws Exception {
		EtcdStart start = EtcdStart.begin(settings(Duration.ofSeconds(2)));
		long early = start.freshLease(Duration.ofSeconds(5)).orElseThrow();
		// A start slower than the session TTL: etcd lets the early lease expire before it is taken over.
		await().atMost(Duration.ofSeconds(15)).until(() -> etcd.client().getLeaseClient()
			.timeToLive(early, LeaseOption.DEFAULT).get(5, TimeUnit.SECONDS).getTTL() <= 0);

		try (EtcdRegistry replica = EtcdRegistry.connect(start, this.clock, this.clock, 100)) {
			replica.register(InstanceRegistration.builder().service("payment").instanceId("p1").host("127.0.0.1")
				.port(8080).leaseTtl(Duration.ofSeconds(15)).build());
			replica.heartbeat("payment", "p1");

			assertThat(replica.stale()).isFalse();
			assertThat(replica.instance("payment", "p1")).hasValueSatisfying(
					(instance) -> assertThat(instance.status()).isEqualTo(InstanceStatus.UP));
			assertThat(replica.updateStatus("payment", "p1", InstanceStatus.DRAINING).status())
				.isEqualTo(InstanceStatus.DRAINING);
			// Its ownership hangs on a session lease etcd keeps alive, not on the expired early one.
			KeyValue owner = etcd.client().getKVClient()
				.get(new EtcdRecords(etcd.prefix()).ownerKey("payment", "p1"))
				.get(5, TimeUnit.SECONDS)
				.getKvs()
				.get(0);
			assertThat(owner.getLease()).isNotEqualTo(early);
			assertThat(etcd.client().getLeaseClient().timeToLive(owner.getLease(), LeaseOption.DEFAULT)
				.get(5, TimeUnit.SECONDS).getTTL()).isPositive();
		}
	}

}
