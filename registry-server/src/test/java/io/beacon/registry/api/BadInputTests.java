package io.beacon.registry.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class of bad input gets a specific 4xx problem, and leaves the registry exactly as it was.
 */
// Its own registry, with leases that outlast the class on a loaded machine: "changes nothing" compares
// the registry index, which a lease lapsing (here or in another class sharing the context) would bump.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "beacon.registry.default-lease-ttl=1h")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String REGISTER = "/v1/services/bad-input/instances";

	private static final String VALID = "{\"instanceId\":\"ok\",\"host\":\"127.0.0.1\",\"port\":8080}";

	@LocalServerPort
	int port;

	private String stateBefore;

	@BeforeAll
	void registerKnownState() throws IOException {
		ApiClient api = new ApiClient(this.port);
		assertThat(api.register("bad-input", "keep-1", 8080).statusCode()).isEqualTo(201);
		assertThat(api.register("bad-input", "keep-2", 8081).statusCode()).isEqualTo(201);
		this.stateBefore = state();
	}

	static Stream<Case> cases() {
		List<Case> cases = new ArrayList<>();
		// malformed JSON
		cases.add(json("truncated JSON", "{\"host\":", 400, "invalid-request", "Malformed JSON"));
		cases.add(json("unquoted key", "{host:\"x\"}", 400, "invalid-request", "Malformed JSON"));
		cases.add(json("trailing garbage", VALID + " {}", 400, "invalid-request", "Malformed JSON"));
		cases.add(json("duplicate key", "{\"host\":\"a\",\"host\":\"b\",\"port\":1}", 400, "invalid-request",
				"Duplicate"));
		cases.add(json("array instead of object", "[1,2]", 400, "invalid-request", "must be a JSON object"));
		cases.add(json("string instead of object", "\"hi\"", 400, "invalid-request", "must be a JSON object"));
		cases.add(json("empty body", "", 400, "invalid-request", "body is required"));
		cases.add(json("deep nesting", "[".repeat(5000) + "]".repeat(5000), 400, "invalid-request", "Malformed JSON"));
		cases.add(raw("non-UTF-8 bytes", "POST", REGISTER, "application/json",
				concat("{\"instanceId\":\"".getBytes(StandardCharsets.UTF_8), new byte[] { (byte) 0xC3, 0x28 },
						"\",\"host\":\"h\",\"port\":1}".getBytes(StandardCharsets.UTF_8)),
				400, "invalid-request", "Malformed JSON"));
		cases.add(raw("UTF-16 body", "POST", REGISTER, "application/json", VALID.getBytes(StandardCharsets.UTF_16), 400,
				"invalid-request", "must be UTF-8"));
		cases.add(raw("UTF-16LE body without a byte order mark", "POST", REGISTER, "application/json",
				VALID.getBytes(StandardCharsets.UTF_16LE), 400, "invalid-request", "must be UTF-8"));
		cases.add(raw("raw control byte in a string", "POST", REGISTER, "application/json",
				"{\"instanceId\":\"a\u0001b\",\"host\":\"h\",\"port\":1}".getBytes(StandardCharsets.UTF_8), 400,
				"invalid-request", "Malformed JSON"));
		// wrong types
		cases.add(json("port as string", "{\"host\":\"h\",\"port\":\"80\"}", 400, "invalid-request",
				"port: must be an integer (got a string)"));
		cases.add(json("port as decimal", "{\"host\":\"h\",\"port\":80.5}", 400, "invalid-request",
				"port: must be an integer (got a decimal number)"));
		cases.add(json("port beyond int", "{\"host\":\"h\",\"port\":99999999999}", 400, "invalid-request",
				"port: is out of range"));
		cases.add(json("secure as string", "{\"host\":\"h\",\"port\":1,\"secure\":\"yes\"}", 400, "invalid-request",
				"secure: must be true or false"));
		cases.add(json("metadata as array", "{\"host\":\"h\",\"port\":1,\"metadata\":[]}", 400, "invalid-request",
				"metadata: must be an object"));
		cases.add(json("metadata value as number", "{\"host\":\"h\",\"port\":1,\"metadata\":{\"a\":1}}", 400,
				"invalid-request", "metadata.a: must be a string"));
		cases.add(json("instanceId as number", "{\"instanceId\":5,\"host\":\"h\",\"port\":1}", 400,
				"invalid-request", "instanceId: must be a string"));
		cases.add(json("status as number", "{\"host\":\"h\",\"port\":1,\"status\":1}", 400, "invalid-request",
				"status: must be a string"));
		// missing and unknown fields
		cases.add(json("missing host", "{\"port\":1}", 400, "invalid-request", "host: is required"));
		cases.add(json("missing port", "{\"host\":\"h\"}", 400, "invalid-request", "port: is required"));
		cases.add(json("unknown field", "{\"host\":\"h\",\"port\":1,\"colour\":\"red\"}", 400, "invalid-request",
				"colour: is not a known field"));
		cases.add(json("read-only field", "{\"host\":\"h\",\"port\":1,\"registeredAt\":\"x\"}", 400,
				"invalid-request", "registeredAt: is not a known field"));
		cases.add(json("service in body differs from path", "{\"service\":\"other\",\"host\":\"h\",\"port\":1}", 400,
				"invalid-request", "service: must match the service in the path"));
		// out of range
		cases.add(json("port 0", "{\"host\":\"h\",\"port\":0}", 400, "invalid-request",
				"port: must be between 1 and 65535"));
		cases.add(json("port 65536", "{\"host\":\"h\",\"port\":65536}", 400, "invalid-request",
				"port: must be between 1 and 65535"));
		cases.add(json("TTL 0", "{\"host\":\"h\",\"port\":1,\"leaseTtlSeconds\":0}", 400, "invalid-request",
				"leaseTtlSeconds: must be between 1 and 3600"));
		cases.add(json("TTL over an hour", "{\"host\":\"h\",\"port\":1,\"leaseTtlSeconds\":3601}", 400,
				"invalid-request", "leaseTtlSeconds: must be between 1 and 3600"));
		// invalid names, ids and hosts
		cases.add(req("service name with underscore", "POST", "/v1/services/bad_name/instances", VALID, 400,
				"service: must be a DNS label"));
		cases.add(req("service name too long", "POST", "/v1/services/" + "a".repeat(64) + "/instances", VALID, 400,
				"service: must be 1-63 characters"));
		cases.add(req("service name starting with a hyphen", "POST", "/v1/services/-x/instances", VALID, 400,
				"must not start or end with '-'"));
		cases.add(json("instance id with a space", "{\"instanceId\":\"a b\",\"host\":\"h\",\"port\":1}", 400,
				"invalid-request", "instanceId: may contain only"));
		cases.add(json("instance id too long",
				"{\"instanceId\":\"" + "i".repeat(129) + "\",\"host\":\"h\",\"port\":1}", 400, "invalid-request",
				"instanceId: must be 1-128 characters"));
		cases.add(json("host that is not a name", "{\"host\":\"not a host\",\"port\":1}", 400, "invalid-request",
				"host: must be an IPv4 address"));
		cases.add(json("bad IPv4", "{\"host\":\"300.1.1.1\",\"port\":1}", 400, "invalid-request",
				"host: is not a valid IPv4 address"));
		cases.add(json("bad IPv6", "{\"host\":\"1::2::3\",\"port\":1}", 400, "invalid-request",
				"host: is not a valid IPv6 address"));
		// control characters in values (valid JSON escapes)
		cases.add(json("NUL in host", "{\"host\":\"a\\u0000b\",\"port\":1}", 400, "invalid-request", "host:"));
		cases.add(json("newline in metadata", "{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\"a\\nb\"}}", 400,
				"invalid-request", "metadata.k: values must not contain control characters"));
		cases.add(json("tab in zone", "{\"host\":\"h\",\"port\":1,\"zone\":\"a\\tb\"}", 400, "invalid-request",
				"zone: may contain only"));
		// too much metadata
		StringBuilder many = new StringBuilder("{\"host\":\"h\",\"port\":1,\"metadata\":{");
		for (int i = 0; i < 65; i++) {
			many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
		}
		cases.add(json("65 metadata entries", many + "}}", 400, "invalid-request", "at most 64 entries"));
		cases.add(json("metadata key too long",
				"{\"host\":\"h\",\"port\":1,\"metadata\":{\"" + "k".repeat(129) + "\":\"v\"}}", 400,
				"invalid-request", "keys must be 1-128 characters"));
		cases.add(json("metadata value too long",
				"{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\"" + "v".repeat(1025) + "\"}}", 400,
				"invalid-request", "values may be at most 1024 characters"));
		// oversize
		cases.add(json("body over 64 KiB",
				"{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\"" + "v".repeat(70_000) + "\"}}", 413,
				"payload-too-large", "limit of 65536 bytes"));
		// statuses
		cases.add(json("unknown status at registration", "{\"host\":\"h\",\"port\":1,\"status\":\"RUNNING\"}", 400,
				"invalid-request", "status: must be one of STARTING, UP, DRAINING, DOWN (got 'RUNNING')"));
		cases.add(new Case("lower-case status", "PUT", "/v1/services/bad-input/instances/keep-1/status",
				"application/json", bytes("{\"status\":\"up\"}"), 400, "invalid-request", "status: must be one of"));
		cases.add(new Case("unknown status cause", "PUT", "/v1/services/bad-input/instances/keep-1/status",
				"application/json", bytes("{\"status\":\"DOWN\",\"cause\":\"evicted\"}"), 400, "invalid-request",
				"cause: must be health_down or health_restored (got 'evicted')"));
		cases.add(new Case("health cause with the wrong status", "PUT",
				"/v1/services/bad-input/instances/keep-1/status", "application/json",
				bytes("{\"status\":\"UP\",\"cause\":\"health_down\"}"), 400, "invalid-request",
				"cause: 'health_down' goes only with status DOWN (got UP)"));
		cases.add(new Case("status cause as number", "PUT", "/v1/services/bad-input/instances/keep-1/status",
				"application/json", bytes("{\"status\":\"DOWN\",\"cause\":1}"), 400, "invalid-request",
				"cause: must be a string"));
		cases.add(new Case("status missing", "PUT", "/v1/services/bad-input/instances/keep-1/status",
				"application/json", bytes("{}"), 400, "invalid-request", "status: is required"));
		cases.add(req("unknown status filter", "GET", "/v1/services/bad-input?status=RUNNING", null, 400,
				"status: must be ALL or one of"));
		cases.add(req("status filter given twice", "GET", "/v1/services/bad-input?status=UP&status=ALL", null, 400,
				"status: may be given only once"));
		cases.add(req("unknown query parameter", "GET", "/v1/services?limit=5", null, 400,
				"limit: is not a known query parameter"));
		// media types
		cases.add(new Case("text/plain body", "POST", REGISTER, "text/plain", bytes(VALID), 415,
				"unsupported-media-type", "use application/json"));
		cases.add(new Case("XML body", "POST", REGISTER, "application/xml", bytes("<i/>"), 415,
				"unsupported-media-type", "use application/json"));
		cases.add(new Case("no content type", "POST", REGISTER, null, bytes(VALID), 415, "unsupported-media-type",
				"A Content-Type of application/json is required"));
		cases.add(new Case("Latin-1 charset", "POST", REGISTER, "application/json; charset=ISO-8859-1",
				bytes(VALID), 415, "unsupported-media-type", "Only the UTF-8 charset"));
		cases.add(new Case("garbage content type", "POST", REGISTER, "???", bytes(VALID), 415,
				"unsupported-media-type", "not a valid media type"));
		// encoded path tricks
		cases.add(req("encoded slash in a service name", "POST", "/v1/services/a%2Fb/instances", VALID, 400,
				"service:"));
		cases.add(req("encoded dot-dot", "POST", "/v1/services/%2e%2e/instances", VALID, 400, "service:"));
		cases.add(req("dot-dot traversal", "GET", "/v1/services/../../actuator/env", null, 404, "Nothing at this path"));
		cases.add(req("encoded NUL", "GET", "/v1/services/a%00b", null, 400, "service:"));
		cases.add(req("broken percent-encoding", "GET", "/v1/services/a%ZZ", null, 400, "invalid percent-encoding"));
		cases.add(req("double-encoded slash in an id", "PUT", "/v1/services/bad-input/instances/x%252Fy/heartbeat",
				null, 400, "instanceId:"));
		cases.add(req("encoded slash in an id", "PUT", "/v1/services/bad-input/instances/keep-1%2F..%2Fx/heartbeat",
				null, 400, "instanceId:"));
		cases.add(req("empty segment", "GET", "/v1//services", null, 404, "Nothing at this path"));
		cases.add(req("trailing slash", "GET", "/v1/services/", null, 400, "service: must be 1-63 characters"));
		// methods
		cases.add(req("PATCH on a service", "PATCH", "/v1/services/bad-input", null, 405, "allowed: GET"));
		cases.add(req("DELETE on the service list", "DELETE", "/v1/services", null, 405, "allowed: GET"));
		cases.add(req("POST to a heartbeat", "POST", "/v1/services/bad-input/instances/keep-1/heartbeat", null, 405,
				"allowed: PUT"));
		cases.add(req("PUT on an instance", "PUT", "/v1/services/bad-input/instances/keep-1", null, 405,
				"allowed: GET, DELETE"));
		// the lease stream
		cases.add(req("POST to a lease stream", "POST", "/v1/services/bad-input/instances/keep-1/lease", null, 405,
				"allowed: GET"));
		cases.add(req("encoded slash in a lease stream's id", "GET",
				"/v1/services/bad-input/instances/keep-1%2F..%2Fx/lease", null, 400, "instanceId:"));
		cases.add(req("query parameter on a lease stream", "GET", "/v1/services/bad-input/instances/keep-1/lease?ttl=1",
				null, 400, "ttl: is not a known query parameter"));
		cases.add(new Case("lease stream with a body", "GET", "/v1/services/bad-input/instances/keep-1/lease",
				"application/json", bytes("{}"), 400, "invalid-request", "takes no request body"));
		// bodies where none belongs
		cases.add(new Case("heartbeat with a body", "PUT", "/v1/services/bad-input/instances/keep-1/heartbeat",
				"application/json", bytes("{}"), 400, "invalid-request", "takes no request body"));
		cases.add(new Case("delete with a body", "DELETE", "/v1/services/bad-input/instances/keep-1",
				"application/json", bytes("{}"), 400, "invalid-request", "takes no request body"));
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void badInputGetsASpecificProblemAndChangesNothing(Case badCase) throws IOException {
		RawHttp.Response response = RawHttp.exchange(this.port, badCase.request(), 15_000);
		assertThat(response).as("a response").isNotNull();
		assertThat(response.status()).as(badCase.name + ": " + response.body()).isEqualTo(badCase.status);
		assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:beacon:problem:" + badCase.type);
		assertThat(problem.get("status").intValue()).isEqualTo(badCase.status);
		assertThat(problem.get("title").stringValue()).isNotBlank();
		assertThat(problem.get("detail").stringValue()).contains(badCase.mention);
		assertThat(state()).isEqualTo(this.stateBefore);
	}

	@Test
	void notAcceptableWhenTheClientWantsAnotherFormat() throws IOException {
		RawHttp.Response response = RawHttp.exchange(this.port,
				"GET /v1/services HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n");
		assertThat(response.status()).isEqualTo(406);
		assertThat(JSON.readTree(response.body()).get("type").stringValue())
			.isEqualTo("urn:beacon:problem:not-acceptable");
	}

	@Test
	void invalidLastEventIdIsRejectedBeforeTheStreamStarts() throws IOException {
		RawHttp.Response response = RawHttp.exchange(this.port,
				"GET /v1/watch HTTP/1.1\r\nHost: x\r\nLast-Event-ID: abc\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
		assertThat(JSON.readTree(response.body()).get("detail").stringValue()).contains("Last-Event-ID");
	}

	@Test
	void chunkedBodyOverTheLimitIsRejectedWhileReading() throws IOException {
		StringBuilder request = new StringBuilder("POST " + REGISTER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
		String chunk = "x".repeat(8192);
		for (int i = 0; i < 10; i++) {
			request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
		}
		request.append("0\r\n\r\n");
		RawHttp.Response response = RawHttp.exchange(this.port, request.toString());
		assertThat(response.status()).isEqualTo(413);
		assertThat(state()).isEqualTo(this.stateBefore);
	}

	@Test
	void requestHeadersBeyondTheLimitAreRefused() throws IOException {
		RawHttp.Response response = RawHttp.exchange(this.port,
				"GET /v1/services HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n");
		assertThat(response == null || response.status() == 431 || response.status() == 413
				|| response.status() == 400).as("refused or closed").isTrue();
		assertThat(state()).isEqualTo(this.stateBefore);
	}

	private String state() {
		ApiClient api = new ApiClient(this.port);
		var response = api.get("/v1/services/bad-input?status=ALL");
		return ApiClient.index(response) + " " + response.body();
	}

	private static Case json(String name, String body, int status, String type, String mention) {
		return new Case(name, "POST", REGISTER, "application/json", bytes(body), status, type, mention);
	}

	private static Case req(String name, String method, String path, String jsonBody, int status, String mention) {
		return new Case(name, method, path, (jsonBody != null) ? "application/json" : null,
				(jsonBody != null) ? bytes(jsonBody) : null, status,
				switch (status) {
					case 404 -> "not-found";
					case 405 -> "method-not-allowed";
					default -> "invalid-request";
				}, mention);
	}

	private static Case raw(String name, String method, String path, String contentType, byte[] body, int status,
			String type, String mention) {
		return new Case(name, method, path, contentType, body, status, type, mention);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	record Case(String name, String method, String path, String contentType, byte[] body, int status, String type,
			String mention) {

		byte[] request() {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			StringBuilder head = new StringBuilder(this.method + " " + this.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
			if (this.contentType != null) {
				head.append("Content-Type: ").append(this.contentType).append("\r\n");
			}
			if (this.body != null) {
				head.append("Content-Length: ").append(this.body.length).append("\r\n");
			}
			head.append("Connection: close\r\n\r\n");
			out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
			if (this.body != null) {
				out.writeBytes(this.body);
			}
			return out.toByteArray();
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
