package io.beacon.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over a hundred malformed or hostile requests against a real registry process: every one gets a
 * 4xx problem (or, for what breaks HTTP itself, a refusal and a closed connection), never a 5xx;
 * afterwards the registry holds exactly what it held before, and still serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

	private static final String REGISTER = "/v1/services/hostile/instances";

	private static final String VALID = "{\"instanceId\":\"new\",\"host\":\"127.0.0.1\",\"port\":8080}";

	private AppProcess registry;

	private int port;

	private String stateBefore;

	@BeforeAll
	void startRegistry() {
		this.port = AppProcess.freePort();
		List<String> args = new ArrayList<>(List.of("--beacon.registry.request-read-timeout=1s",
				"--server.netty.idle-timeout=2s"));
		args.addAll(registryArguments());
		this.registry = AppProcess.registry(this.port, args.toArray(String[]::new));
		await().atMost(Duration.ofSeconds(120)).until(() -> Http.healthy(this.port));
		for (String id : List.of("keep-1", "keep-2")) {
			assertThat(Http.post(this.port, REGISTER,
					"{\"instanceId\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":9000,\"leaseTtlSeconds\":3600}",
					token())
				.statusCode()).isEqualTo(201);
		}
		this.stateBefore = state();
	}

	@AfterAll
	void stopRegistry() {
		this.registry.close();
	}

	/** Extra arguments of the registry (a subclass turns security on). */
	List<String> registryArguments() {
		return List.of();
	}

	/** The token the requests carry, {@code null} for none. */
	String token() {
		return null;
	}

	int port() {
		return this.port;
	}

	@Test
	void everyHostileRequestIsRefusedPreciselyAndChangesNothing() throws Exception {
		Map<String, Integer> byOutcome = new TreeMap<>();
		List<String> wrong = sendAll(token(), byOutcome);
		System.out.println("[system-test] hostile input: " + cases().size() + " requests, outcomes " + byOutcome);
		assertThat(wrong).as("requests not refused as they should be").isEmpty();
		assertThat(state()).as("registry state after the hostile requests").isEqualTo(this.stateBefore);
		// and it still serves
		assertThat(Http.post(this.port, "/v1/services/still/instances", VALID, token()).statusCode()).isEqualTo(201);
		assertThat(Http.get(this.port, "/v1/services/still", token()).body()).contains("\"instanceId\":\"new\"");
	}

	/**
	 * Sends every case (with {@code token}, when not {@code null}) and judges each answer.
	 * @param byOutcome filled with how many requests got each verdict
	 * @return the cases that were not refused as they should be
	 */
	List<String> sendAll(String token, Map<String, Integer> byOutcome) throws Exception {
		List<Case> cases = cases();
		assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
		List<String> wrong = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<RawExchange.Outcome>> outcomes = new ArrayList<>();
			for (Case each : cases) {
				byte[] bytes = withToken(each.bytes, token);
				outcomes.add(pool.submit(() -> RawExchange.send(this.port, bytes, each.stall, 8_000)));
			}
			for (int i = 0; i < cases.size(); i++) {
				Case each = cases.get(i);
				RawExchange.Outcome outcome = outcomes.get(i).get();
				String verdict = judge(each, outcome);
				byOutcome.merge(verdict.startsWith("ok") ? verdict : "WRONG", 1, Integer::sum);
				if (!verdict.startsWith("ok")) {
					wrong.add(each.name + ": " + verdict + " (status " + outcome.status() + ", closed "
							+ outcome.closed() + ", body " + abbreviate(outcome.body()) + ")");
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		return wrong;
	}

	/** The request with an Authorization header after its request line (as it is when there is none). */
	static byte[] withToken(byte[] request, String token) {
		int lineEnd = indexOf(request, new byte[] { '\r', '\n' });
		if (token == null || lineEnd < 0) {
			return request;
		}
		byte[] header = ("Authorization: Bearer " + token + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
		return concat(java.util.Arrays.copyOfRange(request, 0, lineEnd + 2), header,
				java.util.Arrays.copyOfRange(request, lineEnd + 2, request.length));
	}

	private static int indexOf(byte[] bytes, byte[] part) {
		outer: for (int i = 0; i + part.length <= bytes.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (bytes[i + j] != part[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	static String judge(Case each, RawExchange.Outcome outcome) {
		if (outcome.status() >= 500) {
			return "a 5xx";
		}
		if (outcome.status() == 0) {
			return outcome.closed() ? "ok: closed" : "no answer and the connection left open";
		}
		if (outcome.status() < 400) {
			return "accepted with " + outcome.status();
		}
		boolean problem = "application/problem+json".equals(outcome.contentType())
				&& outcome.body().contains("\"status\":" + outcome.status());
		if (problem) {
			return "ok: " + outcome.status() + " problem";
		}
		// what breaks HTTP itself never reaches the application: the HTTP codec refuses and closes
		if (each.protocolLevel && outcome.closed()) {
			return "ok: " + outcome.status() + " from the HTTP codec, closed";
		}
		return "a " + outcome.status() + " without a problem body";
	}

	String state() {
		return Http.get(this.port, "/v1/services/hostile?status=ALL", token()).body() + " @"
				+ Http.get(this.port, "/v1/services", token()).headers().firstValue("Beacon-Index").orElse("?");
	}

	// --- the table -------------------------------------------------------------

	static List<Case> cases() {
		List<Case> cases = new ArrayList<>();
		// 1. malformed and truncated JSON
		for (int cut : new int[] { 1, 5, 14, 20, 30, 40, 50, 60 }) {
			cases.add(json("truncated at " + cut, VALID.substring(0, Math.min(cut, VALID.length() - 1))));
		}
		for (String body : List.of("{", "}", "[", "nul", "{\"host\":}", "{'host':'x'}", "{\"host\":\"x\",}",
				"{/*c*/\"host\":\"x\"}", "{\"port\":NaN}", VALID + VALID, "{\"host\":\"a\",\"host\":\"b\",\"port\":1}",
				"\"just a string\"", "42", "[" + VALID + "]")) {
			cases.add(json("malformed " + body.substring(0, Math.min(12, body.length())), body));
		}
		// 2. wrong types
		for (String field : List.of("\"port\":\"80\"", "\"port\":80.5", "\"port\":true", "\"port\":[80]",
				"\"port\":{\"n\":80}", "\"host\":42", "\"secure\":\"yes\"", "\"metadata\":[]", "\"metadata\":\"a=b\"",
				"\"metadata\":{\"a\":1}", "\"leaseTtlSeconds\":\"15\"", "\"status\":1", "\"instanceId\":7",
				"\"port\":1e400", "\"port\":-0.0")) {
			cases.add(json("type " + field, "{\"host\":\"h\",\"port\":1," + field + "}".replace(",\"port\":1,\"port\"",
					",\"port\"")));
		}
		// 3. missing, unknown and out-of-range fields
		for (String body : List.of("{}", "{\"port\":1}", "{\"host\":\"h\"}", "{\"host\":\"h\",\"port\":0}",
				"{\"host\":\"h\",\"port\":65536}", "{\"host\":\"h\",\"port\":1,\"leaseTtlSeconds\":0}",
				"{\"host\":\"h\",\"port\":1,\"leaseTtlSeconds\":86400}", "{\"host\":\"h\",\"port\":1,\"admin\":true}",
				"{\"host\":\"h\",\"port\":1,\"registeredAt\":\"2020-01-01T00:00:00Z\"}")) {
			cases.add(json("field " + body, body));
		}
		// 4. sizes
		cases.add(json("70 KB body", "{\"host\":\"h\",\"port\":1,\"zone\":\"" + "z".repeat(70_000) + "\"}"));
		cases.add(json("1 MB body", "{\"host\":\"" + "h".repeat(1_000_000) + "\",\"port\":1}"));
		cases.add(json("host of 60 KB", "{\"host\":\"" + "h".repeat(60_000) + "\",\"port\":1}"));
		cases.add(chunked("2 MB chunked body", REGISTER, "x".repeat(2_000_000)));
		cases.add(protocol("header of 100 KB", "GET /v1/services HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000)
				+ "\r\n\r\n"));
		cases.add(protocol("2,000 headers", "GET /v1/services HTTP/1.1\r\nHost: x\r\n"
				+ "X-H: v\r\n".repeat(2_000) + "\r\n"));
		cases.add(protocol("URL of 20 KB", "GET /v1/services/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
		StringBuilder metadata = new StringBuilder("{\"host\":\"h\",\"port\":1,\"metadata\":{");
		for (int i = 0; i < 65; i++) {
			metadata.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
		}
		cases.add(json("65 metadata entries", metadata + "}}"));
		cases.add(json("metadata key of 129", "{\"host\":\"h\",\"port\":1,\"metadata\":{\"" + "k".repeat(129)
				+ "\":\"v\"}}"));
		cases.add(json("metadata value of 1025", "{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\"" + "v".repeat(1025)
				+ "\"}}"));
		cases.add(json("deep nesting", "{\"metadata\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
		// 5. invalid names and ids
		for (String service : List.of("UPPER_CASE", "-x", "x-", "a".repeat(64), "a.b", "%C3%BC", "a%20b", "a%2Fb",
				"%2e%2e", "a%00b", "%ZZ", "a%252Fb")) {
			cases.add(request("service " + service, "POST", "/v1/services/" + service + "/instances", "application/json",
					VALID.getBytes(StandardCharsets.UTF_8)));
		}
		for (String id : List.of("i".repeat(129), "a%20b", "a%2Fb", "%C3%A9", "a%00b", "a%0Ab", "..%2F..%2Fx")) {
			cases.add(request("id " + id.substring(0, Math.min(12, id.length())), "PUT",
					"/v1/services/hostile/instances/" + id + "/heartbeat", null, null));
		}
		// 6. control characters and bytes that are not UTF-8
		cases.add(request("byte 0xFF in body", "POST", REGISTER, "application/json",
				concat("{\"host\":\"".getBytes(StandardCharsets.UTF_8), new byte[] { (byte) 0xFF },
						"\",\"port\":1}".getBytes(StandardCharsets.UTF_8))));
		cases.add(request("broken UTF-8 sequence", "POST", REGISTER, "application/json",
				concat("{\"host\":\"".getBytes(StandardCharsets.UTF_8), new byte[] { (byte) 0xC3, 0x28 },
						"\",\"port\":1}".getBytes(StandardCharsets.UTF_8))));
		cases.add(request("overlong UTF-8", "POST", REGISTER, "application/json",
				concat("{\"host\":\"".getBytes(StandardCharsets.UTF_8), new byte[] { (byte) 0xC0, (byte) 0xAF },
						"\",\"port\":1}".getBytes(StandardCharsets.UTF_8))));
		cases.add(request("UTF-16 body", "POST", REGISTER, "application/json", VALID.getBytes(StandardCharsets.UTF_16)));
		cases.add(json("NUL in host", "{\"host\":\"a\\u0000b\",\"port\":1}"));
		cases.add(json("newline in metadata", "{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\"a\\r\\nb\"}}"));
		cases.add(json("escape in zone", "{\"host\":\"h\",\"port\":1,\"zone\":\"\\u001b[31m\"}"));
		cases.add(json("raw tab in string", "{\"host\":\"a\tb\",\"port\":1}"));
		cases.add(json("lone surrogate", "{\"host\":\"h\",\"port\":1,\"metadata\":{\"k\":\"\\ud800\"}}"));
		cases.add(protocol("raw byte 0xFF in path", concat("GET /v1/services/".getBytes(StandardCharsets.UTF_8),
				new byte[] { (byte) 0xFF }, " HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8))));
		cases.add(protocol("control byte in path", "GET /v1/services/a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n"));
		cases.add(protocol("control byte in header", "GET /v1/services HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"));
		// 7. encoded path tricks
		for (String path : List.of("/v1/services/..%2F..%2Factuator/env", "/v1/services/%2e%2e/%2e%2e/actuator",
				"/v1/services/a/instances/b/../../c", "/v1/services/a;jsessionid=1", "/v1/./services",
				"/v1/services/%2E", "/v1%2Fservices", "/v1/services/a%2f..%2fb/instances", "/v1/services/%", "/v1/")) {
			cases.add(request("path " + path, "GET", path, null, null));
		}
		// 8. unknown statuses
		for (String status : List.of("\"RUNNING\"", "\"up\"", "\"\"", "\"OUT_OF_SERVICE\"", "null", "[\"UP\"]")) {
			cases.add(request("status " + status, "PUT", "/v1/services/hostile/instances/keep-1/status",
					"application/json", ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8)));
		}
		cases.add(request("status filter FOO", "GET", "/v1/services/hostile?status=FOO", null, null));
		cases.add(request("registration status RUNNING", "POST", REGISTER, "application/json",
				"{\"host\":\"h\",\"port\":1,\"status\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8)));
		// 9. methods
		for (String[] call : new String[][] { { "PATCH", "/v1/services/hostile" }, { "POST", "/v1/services" },
				{ "DELETE", "/v1/watch" }, { "PUT", "/v1/services/hostile" }, { "GET", "/v1/services/hostile/instances" },
				{ "POST", "/v1/services/hostile/instances/keep-1/heartbeat" },
				{ "DELETE", "/v1/services/hostile/instances/keep-1/status" }, { "OPTIONS", "/v1/services" },
				{ "BREW", "/v1/services" } }) {
			cases.add(request("method " + call[0] + " " + call[1], call[0], call[1], null, null));
		}
		// 10. media types
		for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
				"multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", "a/b/c", "",
				"application/json-patch+json", "application/problem+json")) {
			cases.add(request("content type '" + type + "'", "POST", REGISTER, type,
					VALID.getBytes(StandardCharsets.UTF_8)));
		}
		cases.add(new Case("Accept text/html", ("GET /v1/services HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n"
				+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false, false));
		// 11. query strings
		for (String query : List.of("?bogus=1", "?status=ALL&status=UP", "?status=%ZZ", "?status=ALL&x=%00")) {
			cases.add(request("query " + query, "GET", "/v1/services/hostile" + query, null, null));
		}
		cases.add(protocol("query of 8 KB", "GET /v1/services/hostile?" + "q=1&".repeat(2_000)
				+ " HTTP/1.1\r\nHost: x\r\n\r\n"));
		cases.add(new Case("Last-Event-ID garbage", ("GET /v1/watch HTTP/1.1\r\nHost: x\r\nLast-Event-ID: -1; DROP\r\n"
				+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false, false));
		// 12. HTTP itself broken
		cases.add(protocol("garbage", "GARBAGE\r\n\r\n"));
		cases.add(protocol("malformed version", "GET /v1/services HTTP/1.x\r\nHost: x\r\n\r\n"));
		cases.add(protocol("header without colon", "GET /v1/services HTTP/1.1\r\nHost x\r\n\r\n"));
		cases.add(protocol("negative length", "POST " + REGISTER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n" + VALID));
		cases.add(protocol("two lengths", "POST " + REGISTER + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				+ "Content-Length: 5\r\nContent-Length: 66\r\n\r\n" + VALID));
		cases.add(protocol("smuggling: chunked and length", "POST " + REGISTER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "0\r\n\r\nPOST " + REGISTER + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + VALID.length() + "\r\n\r\n" + VALID));
		cases.add(protocol("bad chunk size", "POST " + REGISTER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"));
		// 13. half-sent requests that stall
		cases.add(stall("headers never finished", "GET /v1/services HTTP/1.1\r\nHost: x\r\n"));
		cases.add(stall("request line only", "POST " + REGISTER + " HTTP/1.1\r\n"));
		cases.add(stall("body shorter than its length", "POST " + REGISTER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"host\":"));
		cases.add(stall("chunked body never ended", "POST " + REGISTER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"hos\r\n"));
		cases.add(stall("status body never finished", "PUT /v1/services/hostile/instances/keep-1/status HTTP/1.1\r\n"
				+ "Host: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"sta"));
		cases.add(stall("nothing at all", ""));
		return cases;
	}

	private static Case json(String name, String body) {
		return request(name, "POST", REGISTER, "application/json", body.getBytes(StandardCharsets.UTF_8));
	}

	private static Case request(String name, String method, String path, String contentType, byte[] body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		if (contentType != null) {
			head.append("Content-Type: ").append(contentType).append("\r\n");
		}
		if (body != null) {
			head.append("Content-Length: ").append(body.length).append("\r\n");
		}
		head.append("Connection: close\r\n\r\n");
		out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
		if (body != null) {
			out.writeBytes(body);
		}
		return new Case(name, out.toByteArray(), false, false);
	}

	private static Case chunked(String name, String path, String body) {
		StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
		for (int i = 0; i < body.length(); i += 8192) {
			String chunk = body.substring(i, Math.min(body.length(), i + 8192));
			request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
		}
		request.append("0\r\n\r\n");
		return new Case(name, request.toString().getBytes(StandardCharsets.ISO_8859_1), false, false);
	}

	private static Case protocol(String name, String request) {
		return protocol(name, request.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static Case protocol(String name, byte[] request) {
		return new Case(name, request, false, true);
	}

	private static Case stall(String name, String request) {
		return new Case(name, request.getBytes(StandardCharsets.ISO_8859_1), true, true);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static String abbreviate(String text) {
		return (text.length() > 160) ? text.substring(0, 160) + "..." : text;
	}

	/**
	 * @param stall leave the connection open after sending (a half-sent request)
	 * @param protocolLevel it breaks HTTP itself, so the HTTP codec may refuse it before the
	 * application sees it
	 */
	record Case(String name, byte[] bytes, boolean stall, boolean protocolLevel) {
	}

}
