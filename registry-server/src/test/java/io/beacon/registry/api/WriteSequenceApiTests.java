package io.beacon.registry.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Beacon-Write-Seq} header: a register or status update older than one already applied
 * is refused with a 409 and changes nothing; a malformed header is a 400.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "beacon.registry.default-lease-ttl=1h")
class WriteSequenceApiTests {

	private static final String HEADER = "Beacon-Write-Seq";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Test
	void aLateRegistrationIsRefusedWithAConflictAndTheInstanceKeepsItsNewerStatus() throws Exception {
		assertThat(register("late-1", "UP", "2000").statusCode()).isEqualTo(201);
		String before = instance("late-1").body();

		HttpResponse<String> late = register("late-1", "STARTING", "1000");

		assertThat(late.statusCode()).isEqualTo(409);
		assertThat(late.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = ApiClient.json(late);
		assertThat(problem.get("type").asString()).endsWith("stale-write");
		assertThat(problem.get("title").asString()).isEqualTo("Write older than one already applied");
		assertThat(problem.get("appliedSeq").asLong()).isEqualTo(2000);
		assertThat(instance("late-1").body()).isEqualTo(before);
	}

	@Test
	void aLateStatusUpdateIsRefusedWithAConflict() throws Exception {
		assertThat(register("late-2", "STARTING", "3000").statusCode()).isEqualTo(201);
		assertThat(status("late-2", "UP", "3001").statusCode()).isEqualTo(200);

		assertThat(status("late-2", "STARTING", "3000").statusCode()).isEqualTo(409);
		assertThat(ApiClient.json(instance("late-2")).get("status").asString()).isEqualTo("UP");
	}

	@Test
	void writesWithoutTheHeaderApplyAsBefore() throws Exception {
		assertThat(register("late-3", "UP", "5000").statusCode()).isEqualTo(201);
		assertThat(status("late-3", "DOWN", null).statusCode()).isEqualTo(200);
		assertThat(register("late-3", "STARTING", null).statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(instance("late-3")).get("status").asString()).isEqualTo("STARTING");
		assertThat(status("late-3", "UP", "4999").statusCode()).isEqualTo(409);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-5", "abc", "1.5", "99999999999999999999", "" })
	void aMalformedHeaderIsABadRequestNamingItAndChangesNothing(String value) throws Exception {
		assertThat(register("bad-seq", "UP", "7000").statusCode()).isIn(200, 201);
		String before = instance("bad-seq").body();

		for (HttpResponse<String> response : new HttpResponse[] { register("bad-seq", "DOWN", value),
				status("bad-seq", "DOWN", value) }) {
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(ApiClient.json(response).get("detail").asString()).contains(HEADER);
		}
		assertThat(instance("bad-seq").body()).isEqualTo(before);
	}

	@Test
	void twoHeadersAreABadRequest() throws Exception {
		HttpRequest request = request("/v1/services/seq-api/instances")
			.header(HEADER, "1")
			.header(HEADER, "2")
			.POST(HttpRequest.BodyPublishers.ofString(body("two", "UP")))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(response).get("detail").asString()).contains(HEADER);
		assertThat(instance("two").statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> register(String id, String status, String seq) throws IOException, InterruptedException {
		HttpRequest.Builder builder = request("/v1/services/seq-api/instances")
			.POST(HttpRequest.BodyPublishers.ofString(body(id, status)));
		return send(builder, seq);
	}

	private HttpResponse<String> status(String id, String status, String seq) throws IOException, InterruptedException {
		HttpRequest.Builder builder = request("/v1/services/seq-api/instances/" + id + "/status")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"));
		return send(builder, seq);
	}

	private HttpResponse<String> instance(String id) throws IOException, InterruptedException {
		return this.http.send(request("/v1/services/seq-api/instances/" + id).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> send(HttpRequest.Builder builder, String seq) throws IOException, InterruptedException {
		if (seq != null) {
			builder.header(HEADER, seq);
		}
		return this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json");
	}

	private static String body(String id, String status) {
		return "{\"instanceId\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":8080,\"status\":\"" + status + "\"}";
	}

}
