package io.beacon.registry.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.beacon.registry.RegistryServerApplication;
import io.beacon.registry.etcd.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.beacon.registry.api.ApiClient.index;
import static io.beacon.registry.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two registry replicas, each a whole application on its own port, sharing one real etcd.
 */
class EtcdReplicasTests {

	private static EtcdCluster etcd;

	private static ConfigurableApplicationContext replicaA;

	private static ConfigurableApplicationContext replicaB;

	private static ApiClient a;

	private static ApiClient b;

	@BeforeAll
	static void start() throws Exception {
		etcd = EtcdCluster.start(1);
		replicaA = replica(String.join(",", etcd.endpoints()));
		replicaB = replica(String.join(",", etcd.endpoints()));
		a = new ApiClient(port(replicaA));
		b = new ApiClient(port(replicaB));
	}

	private static ConfigurableApplicationContext replica(String endpoints) {
		return new SpringApplicationBuilder(RegistryServerApplication.class).run("--server.port=0",
				"--beacon.registry.store=etcd", "--beacon.registry.etcd.endpoints=" + endpoints,
				"--beacon.registry.etcd.session-ttl=3s", "--beacon.registry.etcd.request-timeout=2s",
				"--beacon.registry.lease-check-interval=50ms", "--management.endpoint.health.show-details=always");
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
	void anInstanceRegisteredThroughOneReplicaIsServedAndKeptAliveByTheOther() {
		HttpResponse<String> registered = a.register("payment", "p1", 9001);
		assertThat(registered.statusCode()).isEqualTo(201);
		long index = index(registered);
		await().until(() -> index(b.get("/v1/services/payment")) >= index);
		HttpResponse<String> atB = b.get("/v1/services/payment/instances/p1");
		assertThat(atB.statusCode()).isEqualTo(200);
		assertThat(json(atB).get("port").asInt()).isEqualTo(9001);
		assertThat(b.heartbeat("payment", "p1").statusCode()).isBetween(200, 204);
		HttpResponse<String> deregistered = b.send("DELETE", "/v1/services/payment/instances/p1", null, null);
		assertThat(deregistered.statusCode()).isBetween(200, 204);
		// A sees the removal once its etcd watch has delivered that revision (read-your-writes holds at B).
		long removedAt = index(deregistered);
		await().until(() -> index(a.get("/v1/services/payment")) >= removedAt);
		assertThat(a.get("/v1/services/payment/instances/p1").statusCode()).isEqualTo(404);
	}

	@Test
	void theRegistryFactsNameTheEtcdStoreAndTellTheReplicasApart() {
		var atA = json(a.get("/v1/registry"));
		var atB = json(b.get("/v1/registry"));
		assertThat(atA.get("store").asString()).isEqualTo("etcd");
		assertThat(atA.get("registryId").asString()).isEqualTo(atB.get("registryId").asString());
		assertThat(atA.get("replicaId").asString()).isNotEqualTo(atB.get("replicaId").asString());
	}

	@Test
	void withEtcdGoneWritesAre503ReadsAreStaleAndHealthIsDownUntilItIsBack() throws Exception {
		assertThat(a.register("order", "o1", 9101).statusCode()).isEqualTo(201);
		etcd.kill(0);
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> a.get("/actuator/health").statusCode() == 503);
			HttpResponse<String> write = a.register("order", "o2", 9102);
			assertThat(write.statusCode()).isEqualTo(503);
			assertThat(write.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(json(write).get("type").asString()).endsWith("store-unavailable");
			HttpResponse<String> read = a.get("/v1/services/order/instances/o1");
			assertThat(read.statusCode()).isEqualTo(200);
			assertThat(read.headers().firstValue("Beacon-Stale")).hasValue("true");
		}
		finally {
			etcd.restart(0);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> a.register("order", "o2", 9102).statusCode() == 201);
		assertThat(a.get("/actuator/health").statusCode()).isEqualTo(200);
		await().until(() -> b.get("/v1/services/order/instances/o2").statusCode() == 200);
		assertThat(a.get("/v1/services/order/instances/o1").headers().firstValue("Beacon-Stale")).isEmpty();
	}

	@Test
	void aLateWriteReachingTheOtherReplicaIsRefusedAsStale() throws Exception {
		HttpResponse<String> registered = sequenced(replicaA, "POST", "/v1/services/billing/instances",
				"{\"instanceId\":\"b1\",\"host\":\"127.0.0.1\",\"port\":9201,\"status\":\"UP\"}", 20);
		assertThat(registered.statusCode()).isEqualTo(201);
		// Write 19 was given up on by its client and reaches the other replica after write 20.
		HttpResponse<String> late = sequenced(replicaB, "PUT", "/v1/services/billing/instances/b1/status",
				"{\"status\":\"DOWN\"}", 19);
		assertThat(late.statusCode()).isEqualTo(409);
		assertThat(json(late).get("type").asString()).endsWith("stale-write");
		assertThat(json(late).get("appliedSeq").asLong()).isEqualTo(20);
		assertThat(json(b.get("/v1/services/billing/instances/b1")).get("status").asString()).isEqualTo("UP");
	}

	private static HttpResponse<String> sequenced(ConfigurableApplicationContext replica, String method, String path,
			String body, long writeSeq) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(replica) + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("Beacon-Write-Seq", Long.toString(writeSeq))
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anUnreachableEtcdFailsStartupNamingTheSetting() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> replica("http://127.0.0.1:1").close())
			.satisfies((ex) -> assertThat(rootMessages(ex)).contains("beacon.registry.etcd.endpoints"));
	}

	private static String rootMessages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable t = ex; t != null; t = t.getCause()) {
			messages.append(t.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
