package io.beacon.registry.api;

import java.time.Duration;

import io.beacon.registry.RegistryServerApplication;
import io.beacon.registry.etcd.EtcdCluster;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.beacon.registry.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lease streams on two registry replicas sharing one real etcd: the replica holding an instance's
 * stream reports its loss, and only while it still owns the instance.
 */
class EtcdLeaseStreamTests {

	private static EtcdCluster etcd;

	private static ConfigurableApplicationContext replicaA;

	private static ConfigurableApplicationContext replicaB;

	@BeforeAll
	static void start() throws Exception {
		etcd = EtcdCluster.start(1);
		replicaA = replica(String.join(",", etcd.endpoints()));
		replicaB = replica(String.join(",", etcd.endpoints()));
	}

	private static ConfigurableApplicationContext replica(String endpoints) {
		return new SpringApplicationBuilder(RegistryServerApplication.class, OwnNettyResources.class).run(
				"--server.port=0", "--beacon.registry.store=etcd", "--beacon.registry.etcd.endpoints=" + endpoints,
				"--beacon.registry.etcd.session-ttl=3s", "--beacon.registry.etcd.request-timeout=2s",
				"--beacon.registry.lease-check-interval=50ms");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stop() throws Exception {
		for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] { replicaA, replicaB }) {
			if (replica != null) {
				replica.close();
			}
		}
		if (etcd != null) {
			etcd.close();
		}
	}

	@Test
	void aStreamReopenedAtAnotherReplicaKeepsTheInstanceUpAndOnlyItsHolderReportsTheLoss() throws Exception {
		ApiClient a = new ApiClient(port(replicaA));
		assertThat(a.register("lease", "l1", 9201).statusCode()).isEqualTo(201);
		LeaseClient atA = new LeaseClient(port(replicaA), "lease", "l1");
		LeaseClient atB = null;
		try {
			atA.bound();
			// The client fails over: its stream opens at B (a heartbeat there: B owns the instance
			// now), then A sees the old stream close and, after its grace, reports a loss that must
			// change nothing.
			atB = new LeaseClient(port(replicaB), "lease", "l1");
			atB.bound();
			atA.closeSocket();
			await().atMost(Duration.ofSeconds(10)).until(() -> lost(replicaA) == 1);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(10))
				.until(() -> "UP".equals(json(a.get("/v1/services/lease/instances/l1")).get("status").asString()));
			atB.closeSocket();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "DOWN".equals(json(a.get("/v1/services/lease/instances/l1")).get("status").asString()));
			assertThat(lost(replicaB)).isEqualTo(1);
		}
		finally {
			atA.closeSocket();
			if (atB != null) {
				atB.closeSocket();
			}
		}
	}

	private static double lost(ConfigurableApplicationContext replica) {
		return replica.getBean(MeterRegistry.class).get("beacon.registry.lease.connections.lost").counter().count();
	}

}
