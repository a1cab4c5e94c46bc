package io.beacon.registry.api;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.beacon.registry.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusTargetsTests {

	@LocalServerPort
	int port;

	ApiClient api;

	final List<String> registered = new ArrayList<>();

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@AfterEach
	void deregisterAll() {
		this.registered.forEach((path) -> this.api.send("DELETE", path, null, null));
	}

	@Test
	void emptyRegistryIsAnEmptyJsonArray() {
		HttpResponse<String> response = this.api.get("/v1/prometheus/targets");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo("[]");
	}

	@Test
	void eachUpInstanceIsOneTargetGroupWithItsAddressAndLabels() {
		register("payments", "p1", "{\"instanceId\":\"p1\",\"host\":\"10.0.0.7\",\"port\":8081,\"zone\":\"eu-1\","
				+ "\"metadata\":{\"prometheus.path\":\"/actuator/prometheus\",\"version\":\"1.2\"}}");
		register("payments", "p2", "{\"instanceId\":\"p2\",\"host\":\"10.0.0.8\",\"port\":8443,\"secure\":true}");
		JsonNode groups = json(this.api.get("/v1/prometheus/targets"));
		assertThat(groups).hasSize(2);
		JsonNode first = groups.get(0);
		assertThat(first.get("targets")).hasSize(1);
		assertThat(first.get("targets").get(0).stringValue()).isEqualTo("10.0.0.7:8081");
		JsonNode labels = first.get("labels");
		assertThat(labels.get("__meta_beacon_service").stringValue()).isEqualTo("payments");
		assertThat(labels.get("__meta_beacon_instance_id").stringValue()).isEqualTo("p1");
		assertThat(labels.get("__meta_beacon_zone").stringValue()).isEqualTo("eu-1");
		assertThat(labels.get("__meta_beacon_status").stringValue()).isEqualTo("UP");
		assertThat(labels.get("__meta_beacon_metadata_version").stringValue()).isEqualTo("1.2");
		assertThat(labels.get("__meta_beacon_metadata_prometheus_path").stringValue())
			.isEqualTo("/actuator/prometheus");
		assertThat(labels.get("__scheme__").stringValue()).isEqualTo("http");
		assertThat(labels.get("__metrics_path__").stringValue()).isEqualTo("/actuator/prometheus");
		JsonNode second = groups.get(1);
		assertThat(second.get("targets").get(0).stringValue()).isEqualTo("10.0.0.8:8443");
		assertThat(second.get("labels").get("__scheme__").stringValue()).isEqualTo("https");
		assertThat(second.get("labels").get("__meta_beacon_zone").stringValue()).isEmpty();
		assertThat(second.get("labels").has("__metrics_path__")).isFalse();
	}

	@Test
	void metadataKeysBecomeValidLabelNames() {
		register("labels", "l1", "{\"instanceId\":\"l1\",\"host\":\"10.0.0.9\",\"port\":80,"
				+ "\"metadata\":{\"team-name\":\"core\",\"git.commit/sha\":\"abc\",\"zürich\":\"yes\"}}");
		JsonNode labels = json(this.api.get("/v1/prometheus/targets?service=labels")).get(0).get("labels");
		List<String> names = new ArrayList<>();
		labels.propertyNames().forEach(names::add);
		assertThat(names).allMatch((name) -> name.matches("[a-zA-Z_][a-zA-Z0-9_]*"));
		assertThat(labels.get("__meta_beacon_metadata_team_name").stringValue()).isEqualTo("core");
		assertThat(labels.get("__meta_beacon_metadata_git_commit_sha").stringValue()).isEqualTo("abc");
		assertThat(labels.get("__meta_beacon_metadata_z_rich").stringValue()).isEqualTo("yes");
	}

	@Test
	void ipv6HostsAreBracketed() {
		register("six", "s1", "{\"instanceId\":\"s1\",\"host\":\"fd00::7\",\"port\":9000}");
		JsonNode groups = json(this.api.get("/v1/prometheus/targets?service=six"));
		assertThat(groups.get(0).get("targets").get(0).stringValue()).isEqualTo("[fd00::7]:9000");
	}

	@Test
	void onlyUpInstancesByDefaultAndAllOnRequest() {
		register("mixed", "up", "{\"instanceId\":\"up\",\"host\":\"10.0.1.1\",\"port\":80}");
		register("mixed", "starting",
				"{\"instanceId\":\"starting\",\"host\":\"10.0.1.2\",\"port\":80,\"status\":\"STARTING\"}");
		assertThat(instanceIds("/v1/prometheus/targets?service=mixed")).containsExactly("up");
		assertThat(instanceIds("/v1/prometheus/targets?service=mixed&status=ALL")).containsExactly("starting", "up");
		assertThat(instanceIds("/v1/prometheus/targets?service=mixed&status=STARTING")).containsExactly("starting");
	}

	@Test
	void serviceFilterKeepsOneServiceAndAnUnknownServiceIsEmpty() {
		register("alpha", "a1", "{\"instanceId\":\"a1\",\"host\":\"10.0.2.1\",\"port\":80}");
		register("beta", "b1", "{\"instanceId\":\"b1\",\"host\":\"10.0.2.2\",\"port\":80}");
		assertThat(instanceIds("/v1/prometheus/targets")).containsExactly("a1", "b1");
		assertThat(instanceIds("/v1/prometheus/targets?service=Beta")).containsExactly("b1");
		assertThat(instanceIds("/v1/prometheus/targets?service=gamma")).isEmpty();
	}

	@Test
	void badQueryParametersAreProblems() {
		assertProblem("/v1/prometheus/targets?status=SLEEPING", "status");
		assertProblem("/v1/prometheus/targets?service=no_underscores", "service");
		assertProblem("/v1/prometheus/targets?service=a&service=b", "service");
		assertProblem("/v1/prometheus/targets?format=yaml", "format");
	}

	@Test
	void otherMethodsAreNotAllowed() {
		HttpResponse<String> response = this.api.send("POST", "/v1/prometheus/targets", null, null);
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET");
	}

	private void assertProblem(String path, String mention) {
		HttpResponse<String> response = this.api.get(path);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json(response).get("detail").stringValue()).contains(mention);
	}

	private List<String> instanceIds(String path) {
		List<String> ids = new ArrayList<>();
		json(this.api.get(path)).forEach((group) -> ids.add(group.get("labels").get("__meta_beacon_instance_id").stringValue()));
		return ids;
	}

	private void register(String service, String id, String body) {
		HttpResponse<String> response = this.api.postJson("/v1/services/" + service + "/instances", body);
		assertThat(response.statusCode()).isEqualTo(201);
		this.registered.add("/v1/services/" + service + "/instances/" + id);
	}

}
