package io.beacon.registry.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

	/** Replica A, then replica B. */
	private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		etcd = EtcdCluster.start(1);
		String[] args = { "--server.port=0", "--beacon.registry.store=etcd",
				"--beacon.registry.etcd.endpoints=" + String.join(",", etcd.endpoints()),
				"--beacon.registry.etcd.session-ttl=3s", "--beacon.registry.etcd.request-timeout=2s",
				"--beacon.registry.lease-check-interval=50ms" };
		for (int i = 0; i < 2; i++) {
			replicas.add(new SpringApplicationBuilder(RegistryServerApplication.class, OwnNettyResources.class)
				.run(args));
		}
	}

	@AfterAll
	static void stop() throws Exception {
		replicas.forEach(ConfigurableApplicationContext::close);
		if (etcd != null) {
			etcd.close();
		}
	}

	private static int port(int replica) {
		return ((WebServerApplicationContext) replicas.get(replica)).getWebServer().getPort();
	}

	private static double lost(int replica) {
		return replicas.get(replica)
			.getBean(MeterRegistry.class)
			.get("beacon.registry.lease.connections.lost")
			.counter()
			.count();
	}

	@Test
	void aStreamReopenedAtAnotherReplicaKeepsTheInstanceUpAndOnlyItsHolderReportsTheLoss() throws Exception {
		ApiClient a = new ApiClient(port(0));
		assertThat(a.register("lease", "l1", 9201).statusCode()).isEqualTo(201);
		LeaseClient atA = new LeaseClient(port(0), "lease", "l1");
		LeaseClient atB = null;
		try {
			atA.bound();
			// The client fails over: its stream opens at B (a heartbeat there: B owns the instance
			// now), then A sees the old stream close and, after its grace, reports a loss that must
			// change nothing.
			atB = new LeaseClient(port(1), "lease", "l1");
			atB.bound();
			atA.closeSocket();
			await().atMost(Duration.ofSeconds(10)).until(() -> lost(0) == 1);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(10))
				.until(() -> "UP".equals(json(a.get("/v1/services/lease/instances/l1")).get("status").asString()));
			atB.closeSocket();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "DOWN".equals(json(a.get("/v1/services/lease/instances/l1")).get("status").asString()));
			assertThat(lost(1)).isEqualTo(1);
		}
		finally {
			atA.closeSocket();
			if (atB != null) {
				atB.closeSocket();
			}
		}
	}

}
