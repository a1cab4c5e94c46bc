package io.beacon.registry.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.MutableClock;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a replica loads from a real etcd at start: a registry bigger than one gRPC message, read in
 * pages at one revision.
 */
class EtcdStateTests {

	private static final int INSTANCES = 2_600;

	@RegisterExtension
	static final EtcdReplicas etcd = new EtcdReplicas();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private EtcdRegistry replica() {
		EtcdSettings settings = etcd.settings(etcd.endpoints());
		return etcd.replica(new EtcdSettings(settings.endpoints(), settings.prefix(), settings.connectTimeout(),
				Duration.ofSeconds(10), settings.sessionTtl()), this.clock);
	}

	@Test
	void aReplicaStartsFromARegistryBiggerThanOneGrpcMessage() throws Exception {
		EtcdRegistry first = replica();
		// 2,600 instances with 2 KB of metadata each: over 5 MB of records, more than gRPC's default
		// 4 MiB answer, and more than five pages.
		String value = "x".repeat(1000);
		ExecutorService writers = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> writes = new ArrayList<>();
			for (int i = 0; i < INSTANCES; i++) {
				String id = "p" + i;
				writes.add(writers.submit(() -> first.register(InstanceRegistration.builder().service("payment")
					.instanceId(id).host("127.0.0.1").port(8080).metadata(Map.of("a", value, "b", value))
					.leaseTtl(Duration.ofHours(1)).build())));
			}
			for (Future<?> write : writes) {
				write.get();
			}
		}
		finally {
			writers.shutdownNow();
		}
		GetResponse stored = etcd.client()
			.getKVClient()
			.get(EtcdRecords.bytes(etcd.prefix()), GetOption.builder().isPrefix(true).withKeysOnly(true).build())
			.get();
		assertThat(stored.getCount()).isGreaterThan(EtcdState.PAGE_KEYS * 5L);

		EtcdRegistry restarted = replica();

		assertThat(restarted.service("payment", (status) -> true).instances()).hasSize(INSTANCES)
			.allSatisfy((instance) -> assertThat(instance.metadata()).containsEntry("a", value));
		assertThat(restarted.index()).isEqualTo(first.index());
	}

}
