package io.beacon.registry.api;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.Registry;
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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class RegistryEndpointTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	Registry registry;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void describesTheRegistryItsStoreAndWhatItHolds() {
		this.api.postJson("/v1/services/facts-a/instances", "{\"instanceId\":\"a1\",\"host\":\"10.0.0.1\",\"port\":80}");
		this.api.postJson("/v1/services/facts-b/instances", "{\"instanceId\":\"b1\",\"host\":\"10.0.0.2\",\"port\":80}");
		HttpResponse<String> response = this.api.get("/v1/registry");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode facts = json(response);
		assertThat(facts.get("store").stringValue()).isEqualTo("memory");
		assertThat(facts.get("registryId").stringValue()).isEqualTo(this.registry.registryId());
		assertThat(facts.get("replicaId").stringValue()).isEqualTo(this.registry.registryId());
		assertThat(facts.get("version").stringValue()).isNotBlank();
		assertThat(facts.get("index").longValue()).isEqualTo(index(response));
		assertThat(facts.get("instances").intValue()).isEqualTo(this.registry.size());
		assertThat(facts.get("services").intValue()).isEqualTo(this.registry.services().size())
			.isGreaterThanOrEqualTo(2);
		assertThat(facts.get("watchers").intValue()).isZero();
		assertThat(facts.get("now").stringValue()).isEqualTo(this.clock.instant().toString());
	}

	@Test
	void countsHeartbeatsAndUptimeAsTheyHappen() {
		this.api.postJson("/v1/services/facts-c/instances", "{\"instanceId\":\"c1\",\"host\":\"10.0.0.3\",\"port\":80}");
		JsonNode before = json(this.api.get("/v1/registry"));
		this.api.send("PUT", "/v1/services/facts-c/instances/c1/heartbeat", null, null);
		this.api.send("PUT", "/v1/services/facts-c/instances/c1/heartbeat", null, null);
		this.clock.advance(Duration.ofSeconds(90));
		JsonNode after = json(this.api.get("/v1/registry"));
		assertThat(after.get("totals").get("heartbeats").longValue())
			.isEqualTo(before.get("totals").get("heartbeats").longValue() + 2);
		assertThat(after.get("uptimeSeconds").longValue()).isEqualTo(before.get("uptimeSeconds").longValue() + 90);
		assertThat(after.get("startedAt").stringValue()).isEqualTo(before.get("startedAt").stringValue());
	}

	@Test
	void refusesQueryParametersAndOtherMethods() {
		HttpResponse<String> query = this.api.get("/v1/registry?verbose=true");
		assertThat(query.statusCode()).isEqualTo(400);
		assertThat(json(query).get("detail").stringValue()).contains("verbose");
		HttpResponse<String> post = this.api.postJson("/v1/registry", "{}");
		assertThat(post.statusCode()).isEqualTo(405);
		assertThat(post.headers().firstValue("Allow")).hasValue("GET");
	}

}
