package io.beacon.registry.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.beacon.registry.core.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.beacon.registry.api.ApiClient.index;
import static io.beacon.registry.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "beacon.registry.lease-check-interval=20ms")
@Import(TestClockConfiguration.class)
class ApiTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void registrationAnswers201WithTheInstanceItsLocationAndTheNewIndex() {
		long before = index(this.api.get("/v1/services"));
		Instant now = this.clock.instant();
		HttpResponse<String> response = this.api.postJson("/v1/services/Reg-Svc/instances",
				"{\"instanceId\":\"r1\",\"host\":\"10.1.2.3\",\"port\":8443,\"secure\":true,\"zone\":\"eu-1\","
						+ "\"metadata\":{\"version\":\"1.2\"},\"leaseTtlSeconds\":30,\"status\":\"STARTING\"}");
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().firstValue("Location")).hasValue("/v1/services/reg-svc/instances/r1");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(index(response)).isEqualTo(before + 1);
		JsonNode body = json(response);
		assertThat(body.get("instanceId").stringValue()).isEqualTo("r1");
		assertThat(body.get("service").stringValue()).isEqualTo("reg-svc");
		assertThat(body.get("host").stringValue()).isEqualTo("10.1.2.3");
		assertThat(body.get("port").intValue()).isEqualTo(8443);
		assertThat(body.get("secure").booleanValue()).isTrue();
		assertThat(body.get("zone").stringValue()).isEqualTo("eu-1");
		assertThat(body.get("metadata").get("version").stringValue()).isEqualTo("1.2");
		assertThat(body.get("leaseTtlSeconds").intValue()).isEqualTo(30);
		assertThat(body.get("status").stringValue()).isEqualTo("STARTING");
		assertThat(Instant.parse(body.get("registeredAt").stringValue())).isEqualTo(now);
		assertThat(Instant.parse(body.get("lastHeartbeatAt").stringValue())).isEqualTo(now);
	}

	@Test
	void registeringTheSameIdAgainReplacesItsDataAndAnswers200() {
		this.api.register("again", "a1", 8080);
		HttpResponse<String> response = this.api.register("again", "a1", 9090);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).get("port").intValue()).isEqualTo(9090);
		assertThat(json(this.api.get("/v1/services/again")).get("instances")).hasSize(1);
	}

	@Test
	void registrationWithoutAnIdGetsOneFromTheServer() {
		HttpResponse<String> response = this.api.postJson("/v1/services/anon/instances",
				"{\"host\":\"127.0.0.1\",\"port\":8080}");
		assertThat(response.statusCode()).isEqualTo(201);
		String id = json(response).get("instanceId").stringValue();
		assertThat(id).isNotBlank();
		assertThat(response.headers().firstValue("Location")).hasValue("/v1/services/anon/instances/" + id);
		assertThat(this.api.get("/v1/services/anon/instances/" + id).statusCode()).isEqualTo(200);
	}

	@Test
	void heartbeatAnswers204AndLeavesTheIndexAlone() {
		this.api.register("beat", "b1", 8080);
		long before = index(this.api.get("/v1/services"));
		HttpResponse<String> response = this.api.heartbeat("beat", "b1");
		assertThat(response.statusCode()).isEqualTo(204);
		assertThat(response.body()).isEmpty();
		assertThat(index(response)).isEqualTo(before);
	}

	@Test
	void heartbeatForAnUnknownInstanceAnswers404SoTheClientRegistersAgain() {
		HttpResponse<String> response = this.api.heartbeat("beat", "ghost");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json(response);
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:beacon:problem:instance-not-found");
		assertThat(problem.get("status").intValue()).isEqualTo(404);
		assertThat(problem.get("service").stringValue()).isEqualTo("beat");
		assertThat(problem.get("instanceId").stringValue()).isEqualTo("ghost");
		assertThat(problem.get("instance").stringValue()).isEqualTo("/v1/services/beat/instances/ghost/heartbeat");
	}

	@Test
	void statusChangeIsAnsweredWithTheInstanceAndHidesItFromDefaultReads() {
		this.api.register("drain", "d1", 8080);
		this.api.register("drain", "d2", 8081);
		HttpResponse<String> response = this.api.putJson("/v1/services/drain/instances/d1/status",
				"{\"status\":\"DRAINING\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).get("status").stringValue()).isEqualTo("DRAINING");
		JsonNode up = json(this.api.get("/v1/services/drain"));
		assertThat(up.get("service").stringValue()).isEqualTo("drain");
		assertThat(up.get("instances")).extracting((node) -> node.get("instanceId").stringValue())
			.containsExactly("d2");
		JsonNode all = json(this.api.get("/v1/services/drain?status=ALL"));
		assertThat(all.get("instances")).extracting((node) -> node.get("instanceId").stringValue())
			.containsExactly("d1", "d2");
		JsonNode draining = json(this.api.get("/v1/services/drain?status=DRAINING"));
		assertThat(draining.get("instances")).hasSize(1);
	}

	@Test
	void deregistrationAnswers204ThenTheInstanceIsGone() {
		this.api.register("leave", "l1", 8080);
		assertThat(this.api.send("DELETE", "/v1/services/leave/instances/l1", null, null).statusCode())
			.isEqualTo(204);
		assertThat(this.api.get("/v1/services/leave/instances/l1").statusCode()).isEqualTo(404);
		assertThat(this.api.send("DELETE", "/v1/services/leave/instances/l1", null, null).statusCode())
			.isEqualTo(404);
	}

	@Test
	void servicesListsEveryServiceWithCountsByStatus() {
		this.api.register("count-a", "c1", 8080);
		this.api.register("count-a", "c2", 8080);
		this.api.putJson("/v1/services/count-a/instances/c2/status", "{\"status\":\"STARTING\"}");
		HttpResponse<String> response = this.api.get("/v1/services");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json(response);
		assertThat(body.get("index").longValue()).isEqualTo(index(response));
		JsonNode countA = null;
		for (JsonNode service : body.get("services")) {
			if (service.get("service").stringValue().equals("count-a")) {
				countA = service;
			}
		}
		assertThat(countA).isNotNull();
		assertThat(countA.get("total").intValue()).isEqualTo(2);
		assertThat(countA.get("counts").get("UP").intValue()).isEqualTo(1);
		assertThat(countA.get("counts").get("STARTING").intValue()).isEqualTo(1);
		assertThat(countA.get("counts").get("DOWN").intValue()).isZero();
	}

	@Test
	void unknownServiceIsAnEmptyListNotAnError() {
		HttpResponse<String> response = this.api.get("/v1/services/nobody-here");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).get("instances")).isEmpty();
		assertThat(json(response).get("index").longValue()).isEqualTo(index(response));
	}

	@Test
	void serviceNamesInPathsAreCaseInsensitive() {
		this.api.register("Mixed-Case", "m1", 8080);
		assertThat(this.api.heartbeat("MIXED-CASE", "m1").statusCode()).isEqualTo(204);
		assertThat(json(this.api.get("/v1/services/mixed-case")).get("instances")).hasSize(1);
	}

	@Test
	void lapsedLeaseShowsAsDownAndAHeartbeatBringsItBack() {
		this.api.postJson("/v1/services/lapse/instances",
				"{\"instanceId\":\"x1\",\"host\":\"127.0.0.1\",\"port\":8080,\"leaseTtlSeconds\":1}");
		this.clock.advance(Duration.ofMillis(1500));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(json(this.api.get("/v1/services/lapse/instances/x1")).get("status")
				.stringValue()).isEqualTo("DOWN"));
		assertThat(json(this.api.get("/v1/services/lapse")).get("instances")).isEmpty();
		assertThat(this.api.heartbeat("lapse", "x1").statusCode()).isEqualTo(204);
		assertThat(json(this.api.get("/v1/services/lapse/instances/x1")).get("status").stringValue()).isEqualTo("UP");
	}

	@Test
	void everyApiResponseCarriesTheRegistryIndexErrorsToo() {
		assertThat(this.api.get("/v1/services").headers().firstValue("Beacon-Index")).isPresent();
		assertThat(this.api.get("/v1/nothing").headers().firstValue("Beacon-Index")).isPresent();
		assertThat(this.api.heartbeat("x", "y").headers().firstValue("Beacon-Index")).isPresent();
		assertThat(this.api.get("/actuator/health").headers().firstValue("Beacon-Index")).isPresent();
	}

	@Test
	void actuatorIsServedOnTheSamePort() {
		HttpResponse<String> health = this.api.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(json(health).get("status").stringValue()).isEqualTo("UP");
		assertThat(this.api.get("/actuator/info").statusCode()).isEqualTo(200);
		assertThat(this.api.get("/actuator/metrics/beacon.registry.heartbeats").statusCode()).isEqualTo(200);
	}

	@Test
	void withSecurityOffWhoAmIIsAnonymousWithEveryRoleAndInstancesHaveNoOwner() {
		JsonNode whoami = json(this.api.get("/v1/whoami"));
		assertThat(whoami.toString()).isEqualTo(
				"{\"name\":\"anonymous\",\"roles\":[\"read\",\"register\",\"admin\"],\"services\":[\"*\"],\"security\":false}");
		assertThat(json(this.api.register("unowned", "u1", 8080)).has("owner")).isFalse();
	}

}
