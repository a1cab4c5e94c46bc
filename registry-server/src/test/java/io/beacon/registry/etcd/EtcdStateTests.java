package io.beacon.registry.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.MutableClock;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a replica loads from a real etcd at start: a registry bigger than one gRPC message, read in
 * pages at one revision.
 */
class EtcdStateTests {

	private static final int INSTANCES = 2_600;

	private static EtcdCluster etcd;

	private static Client client;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final String prefix = "/test-" + UUID.randomUUID();

	private final List<EtcdRegistry> replicas = new ArrayList<>();

	@BeforeAll
	static void startEtcd() throws Exception {
		etcd = EtcdCluster.start(1);
		client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
	}

	@AfterAll
	static void stopEtcd() throws Exception {
		if (client != null) {
			client.close();
		}
		if (etcd != null) {
			etcd.close();
		}
	}

	@AfterEach
	void closeReplicas() {
		this.replicas.forEach(EtcdRegistry::close);
	}

	private EtcdRegistry replica() {
		EtcdRegistry replica = EtcdRegistry.connect(new EtcdSettings(etcd.endpoints(), this.prefix,
				Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10)), this.clock, this.clock, 100);
		this.replicas.add(replica);
		return replica;
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
		GetResponse stored = client.getKVClient()
			.get(EtcdRecords.bytes(this.prefix), GetOption.builder().isPrefix(true).withKeysOnly(true).build())
			.get();
		assertThat(stored.getCount()).isGreaterThan(EtcdState.PAGE_KEYS * 5L);

		EtcdRegistry restarted = replica();

		assertThat(restarted.service("payment", (status) -> true).instances()).hasSize(INSTANCES)
			.allSatisfy((instance) -> assertThat(instance.metadata()).containsEntry("a", value));
		assertThat(restarted.index()).isEqualTo(first.index());
	}

}
