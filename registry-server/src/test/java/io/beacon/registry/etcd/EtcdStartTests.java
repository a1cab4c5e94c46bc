package io.beacon.registry.etcd;

import java.time.Duration;
import java.time.Instant;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

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
			start.freshLease(Duration.ofSeconds(5));
			Thread.sleep(1_200);
			assertThat(start.freshLease(Duration.ofSeconds(5))).isEmpty();
		}
	}

	@Test
	void aReplicaTakingOverAStartWhoseLeaseExpiredOwnsWhatItRegisters() throws Exception {
		EtcdStart start = EtcdStart.begin(settings(Duration.ofSeconds(2)));
		start.freshLease(Duration.ofSeconds(5));
		Thread.sleep(2_500); // a start slower than the session TTL: the early lease has expired

		try (EtcdRegistry replica = EtcdRegistry.connect(start, this.clock, this.clock, 100)) {
			replica.register(InstanceRegistration.builder().service("payment").instanceId("p1").host("127.0.0.1")
				.port(8080).leaseTtl(Duration.ofSeconds(15)).build());
			replica.heartbeat("payment", "p1");

			assertThat(replica.stale()).isFalse();
			assertThat(replica.instance("payment", "p1")).hasValueSatisfying(
					(instance) -> assertThat(instance.status()).isEqualTo(InstanceStatus.UP));
			assertThat(replica.updateStatus("payment", "p1", InstanceStatus.DRAINING).status())
				.isEqualTo(InstanceStatus.DRAINING);
		}
	}

}
