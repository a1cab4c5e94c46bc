package io.beacon.registry.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.beacon.registry.core.MutableClock;
import io.beacon.registry.security.TokenStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.beacon.registry.api.ApiClient.index;
import static io.beacon.registry.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API with security on: every role against every endpoint, allowed and refused; ownership;
 * credentials in the wrong places; the actuator; and a refused request never changes anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "beacon.registry.security.enabled=true", "beacon.registry.security.bad-token-limit=5",
				"beacon.registry.security.bad-token-window=1m", "beacon.registry.lease-check-interval=20ms" })
@Import(TestClockConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class SecuredApiTests {

	static final String READER = "reader-0c0ffee-token";

	static final String PAYMENT = "payment-5ecret-token";

	static final String OTHER = "other-payment-token";

	static final String ADMIN = "admin-5uper-token";

	static final String SERVICE = "payment-svc";

	private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@DynamicPropertySource
	static void tokens(DynamicPropertyRegistry registry) {
		token(registry, 0, "reader", READER, "read", "*");
		token(registry, 1, "payment", PAYMENT, "register", "payment-*");
		token(registry, 2, "other", OTHER, "register,read", "payment-*");
		token(registry, 3, "admin", ADMIN, "admin", "*");
	}

	private static void token(DynamicPropertyRegistry registry, int i, String name, String token, String roles,
			String services) {
		String prefix = "beacon.registry.security.tokens[" + i + "].";
		registry.add(prefix + "name", () -> name);
		registry.add(prefix + "sha256", () -> TokenStore.sha256Hex(token));
		registry.add(prefix + "roles", () -> roles);
		registry.add(prefix + "services", () -> services);
	}

	@BeforeEach
	void startNewBadTokenWindow() {
		// Each test starts with no bad tokens counted against 127.0.0.1.
		this.clock.advance(Duration.ofMinutes(2));
	}

	static Stream<Case> matrix() {
		List<Case> cases = new ArrayList<>();
		String instance = "/v1/services/" + SERVICE + "/instances/{id}";
		String register = "/v1/services/" + SERVICE + "/instances";
		String body = "{\"instanceId\":\"{id}-new\",\"host\":\"127.0.0.1\",\"port\":9000}";
		String status = "{\"status\":\"DRAINING\"}";
		Endpoint[] endpoints = { new Endpoint("list services", "GET", "/v1/services", null, 200),
				new Endpoint("get service", "GET", "/v1/services/" + SERVICE, null, 200),
				new Endpoint("get instance", "GET", instance, null, 200),
				new Endpoint("watch", "GET", "/v1/watch?service=" + SERVICE, null, 200),
				new Endpoint("prometheus targets", "GET", "/v1/prometheus/targets", null, 200),
				new Endpoint("whoami", "GET", "/v1/whoami", null, 200),
				new Endpoint("register", "POST", register, body, 201),
				new Endpoint("re-register", "POST", register,
						"{\"instanceId\":\"{id}\",\"host\":\"127.0.0.1\",\"port\":9001}", 200),
				new Endpoint("heartbeat", "PUT", instance + "/heartbeat", null, 204),
				new Endpoint("lease stream", "GET", instance + "/lease", null, 200),
				new Endpoint("status", "PUT", instance + "/status", status, 200),
				new Endpoint("deregister", "DELETE", instance, null, 204) };
		for (Endpoint endpoint : endpoints) {
			boolean read = endpoint.method.equals("GET") && !endpoint.name.equals("whoami")
					&& !endpoint.name.equals("lease stream");
			boolean identify = endpoint.name.equals("whoami");
			boolean write = !read && !identify;
			cases.add(new Case("no token", null, endpoint, 401, null));
			cases.add(new Case("unknown token", "unknown-token-123", endpoint, 401, null));
			cases.add(new Case("reader", READER, endpoint, (read || identify) ? endpoint.allowed : 403,
					write ? "role register" : null));
			cases.add(new Case("payment (owner)", PAYMENT, endpoint, (write || identify) ? endpoint.allowed : 403,
					read ? "role read" : null));
			boolean ownerBound = write && !endpoint.name.equals("register");
			cases.add(new Case("other (not owner)", OTHER, endpoint, ownerBound ? 403 : endpoint.allowed,
					ownerBound ? "ownership of instance {id}" : null));
			cases.add(new Case("admin", ADMIN, endpoint, endpoint.allowed, null));
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("matrix")
	void everyRoleGetsExactlyItsEndpointsAndARefusalChangesNothing(Case c) {
		String id = "m-" + Integer.toHexString(c.hashCode());
		assertThat(new ApiClient(this.port, PAYMENT).register(SERVICE, id, 8080).statusCode()).isEqualTo(201);
		this.clock.advance(Duration.ofSeconds(1));
		String before = state(id);
		Reply reply = send(c.token, c.endpoint.method, c.endpoint.path.replace("{id}", id),
				(c.endpoint.body != null) ? c.endpoint.body.replace("{id}", id) : null);
		assertThat(reply.status).as(c.label + " " + c.endpoint.name).isEqualTo(c.expected);
		if (c.expected == 401) {
			assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer realm=\"beacon\"");
			assertThat(reply.body).contains("\"status\":401");
		}
		if (c.expected == 403) {
			assertThat(JSON.readTree(reply.body).get("missing").stringValue()).isEqualTo(c.missing.replace("{id}", id));
		}
		if (c.expected >= 400) {
			assertThat(state(id)).as("state after a refused request").isEqualTo(before);
		}
	}

	@Test
	void anInstanceShowsTheTokenThatRegisteredItAsItsOwner() {
		new ApiClient(this.port, PAYMENT).register(SERVICE, "owned-1", 8080);
		JsonNode instance = json(new ApiClient(this.port, READER).get("/v1/services/" + SERVICE + "/instances/owned-1"));
		assertThat(instance.get("owner").stringValue()).isEqualTo("payment");
	}

	@Test
	void anotherTokenCannotTakeOverAnInstanceByRegisteringItsId() {
		new ApiClient(this.port, PAYMENT).register(SERVICE, "taken-1", 8080);
		HttpResponse<String> takeOver = new ApiClient(this.port, OTHER).register(SERVICE, "taken-1", 6666);
		assertThat(takeOver.statusCode()).isEqualTo(403);
		JsonNode instance = json(new ApiClient(this.port, READER).get("/v1/services/" + SERVICE + "/instances/taken-1"));
		assertThat(instance.get("port").intValue()).isEqualTo(8080);
		assertThat(instance.get("owner").stringValue()).isEqualTo("payment");
	}

	@Test
	void anAdminCanChangeAndRemoveAnyInstance() {
		new ApiClient(this.port, PAYMENT).register(SERVICE, "admin-1", 8080);
		ApiClient admin = new ApiClient(this.port, ADMIN);
		assertThat(admin.putJson("/v1/services/" + SERVICE + "/instances/admin-1/status", "{\"status\":\"DOWN\"}")
			.statusCode()).isEqualTo(200);
		assertThat(admin.send("DELETE", "/v1/services/" + SERVICE + "/instances/admin-1", null, null).statusCode())
			.isEqualTo(204);
		assertThat(admin.get("/v1/services/" + SERVICE + "/instances/admin-1").statusCode()).isEqualTo(404);
	}

	@Test
	void aTokenMayRegisterOnlyItsServices() {
		HttpResponse<String> response = new ApiClient(this.port, PAYMENT).register("orders", "o-1", 8080);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(json(response).get("missing").stringValue()).isEqualTo("service orders");
		assertThat(json(response).get("detail").stringValue()).contains("[payment-*]");
	}

	@Test
	void whoAmIShowsTheTokensNameRolesAndServices() {
		JsonNode body = json(new ApiClient(this.port, OTHER).get("/v1/whoami"));
		assertThat(body.get("name").stringValue()).isEqualTo("other");
		assertThat(body.get("roles").toString()).isEqualTo("[\"read\",\"register\"]");
		assertThat(body.get("services").toString()).isEqualTo("[\"payment-*\"]");
		assertThat(body.get("security").booleanValue()).isTrue();
	}

	@Test
	void aTokenInTheQueryStringIsRefusedEvenAlongsideAValidHeader() throws IOException {
		long before = index(new ApiClient(this.port, READER).get("/v1/services"));
		RawHttp.Response response = RawHttp.exchange(this.port, "GET /v1/services?access_token=" + READER
				+ " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + READER + "\r\nConnection: close\r\n\r\n");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("never in the query string").doesNotContain(READER);
		assertThat(response.headers().get("beacon-index")).isEqualTo(Long.toString(before));
	}

	@Test
	void aLowerCaseSchemeIsRefused() throws IOException {
		RawHttp.Response response = raw("DELETE /v1/services/" + SERVICE + "/instances/x",
				"Authorization: bearer " + ADMIN);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.headers().get("www-authenticate")).contains("error=\"invalid_request\"");
		assertThat(response.body()).contains("'Bearer' written exactly so");
	}

	@Test
	void twoAuthorizationHeadersAreRefusedAndChangeNothing() throws IOException {
		new ApiClient(this.port, PAYMENT).register(SERVICE, "two-1", 8080);
		String before = state("two-1");
		RawHttp.Response response = raw("DELETE /v1/services/" + SERVICE + "/instances/two-1",
				"Authorization: Bearer " + PAYMENT + "\r\nAuthorization: Bearer " + ADMIN);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("exactly one Authorization header (got 2)");
		assertThat(state("two-1")).isEqualTo(before);
	}

	@Test
	void aTenKilobyteTokenIsRefusedAndChangesNothing() throws IOException {
		new ApiClient(this.port, PAYMENT).register(SERVICE, "big-1", 8080);
		String before = state("big-1");
		RawHttp.Response response = raw("DELETE /v1/services/" + SERVICE + "/instances/big-1",
				"Authorization: Bearer " + "A".repeat(10 * 1024));
		// Netty refuses headers over its 8 KB limit before the API sees them (431); either way no change.
		assertThat(response.status()).isIn(401, 431);
		assertThat(state("big-1")).isEqualTo(before);
		RawHttp.Response longToken = raw("DELETE /v1/services/" + SERVICE + "/instances/big-1",
				"Authorization: Bearer " + "A".repeat(2048));
		assertThat(longToken.status()).isEqualTo(401);
		assertThat(longToken.body()).contains("longer than 512");
		assertThat(state("big-1")).isEqualTo(before);
	}

	@Test
	void badTokensFromOneAddressGet429ButItsGoodTokensStillPass() {
		ApiClient bad = new ApiClient(this.port, "guessed-token");
		for (int i = 0; i < 5; i++) {
			assertThat(bad.get("/v1/services").statusCode()).isEqualTo(401);
		}
		HttpResponse<String> limited = bad.get("/v1/services");
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
		assertThat(json(limited).get("type").stringValue()).isEqualTo("urn:beacon:problem:too-many-bad-tokens");
		assertThat(new ApiClient(this.port, READER).get("/v1/services").statusCode()).isEqualTo(200);
	}

	@Test
	void healthAndPrometheusStayOpenAndEveryOtherActuatorEndpointNeedsAdmin() {
		assertThat(new ApiClient(this.port).get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(json(new ApiClient(this.port).get("/actuator/health")).get("status").stringValue()).isEqualTo("UP");
		assertThat(new ApiClient(this.port).get("/actuator/health").body()).doesNotContain("components", "details");
		assertThat(new ApiClient(this.port).get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(new ApiClient(this.port).get("/actuator/prometheus").statusCode()).isEqualTo(200);
		HttpResponse<String> anonymous = new ApiClient(this.port).get("/actuator/metrics");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"beacon\"");
		assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		HttpResponse<String> reader = new ApiClient(this.port, READER).get("/actuator/info");
		assertThat(reader.statusCode()).isEqualTo(403);
		assertThat(json(reader).get("missing").stringValue()).isEqualTo("role admin");
		assertThat(new ApiClient(this.port).get("/actuator").statusCode()).isEqualTo(401);
		assertThat(new ApiClient(this.port, ADMIN).get("/actuator/metrics").statusCode()).isEqualTo(200);
		assertThat(new ApiClient(this.port, ADMIN).get("/actuator/info").statusCode()).isEqualTo(200);
	}

	@Test
	void refusalsAreCountedByReasonWithoutTokensInTheTags() {
		new ApiClient(this.port, READER).register(SERVICE, "count-1", 8080);
		String metrics = new ApiClient(this.port).get("/actuator/prometheus").body();
		assertThat(metrics).containsPattern("beacon_registry_security_refusals_total\\{[^}]*reason=\"role\"[^}]*} [1-9]");
		assertThat(metrics).doesNotContain(READER, TokenStore.sha256Hex(READER));
	}

	@Test
	void noTokenOrHashEverReachesTheLog(CapturedOutput output) {
		ApiClient payment = new ApiClient(this.port, PAYMENT);
		payment.register(SERVICE, "log-1", 8080);
		new ApiClient(this.port, READER).register(SERVICE, "log-2", 8080);
		new ApiClient(this.port, "wrong-" + PAYMENT).get("/v1/services");
		new ApiClient(this.port).get("/v1/services?access_token=" + ADMIN);
		for (int i = 0; i < 6; i++) {
			new ApiClient(this.port, "guess-" + i).get("/v1/services");
		}
		payment.send("DELETE", "/v1/services/" + SERVICE + "/instances/log-1", null, null);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getAll()).contains("Deregistered " + SERVICE + "/log-1")
				.contains("bad tokens from 127.0.0.1"));
		for (String token : List.of(READER, PAYMENT, OTHER, ADMIN)) {
			assertThat(output.getAll()).doesNotContain(token, TokenStore.sha256Hex(token));
		}
		assertThat(output.getAll()).doesNotContain("guess-", "wrong-");
	}

	private RawHttp.Response raw(String requestLine, String headers) throws IOException {
		return RawHttp.exchange(this.port,
				requestLine + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\nConnection: close\r\n\r\n");
	}

	/**
	 * What an admin sees of an instance and of the one a register request in the matrix would add.
	 * (Not the registry index: the lease sweeper removes the instances of earlier tests meanwhile.)
	 */
	private String state(String id) {
		ApiClient admin = new ApiClient(this.port, ADMIN);
		String base = "/v1/services/" + SERVICE + "/instances/";
		return admin.get(base + id).body() + " / " + admin.get(base + id + "-new").statusCode();
	}

	private Reply send(String token, String method, String path, String body) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			builder.header("Content-Type", "application/json");
		}
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		try {
			HttpResponse<InputStream> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
			String text = "";
			try (InputStream in = response.body()) {
				// A watch stream that was admitted never ends: its status is what counts.
				if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
					text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
			}
			return new Reply(response.statusCode(), response.headers().firstValue("WWW-Authenticate").orElse(""),
					text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Endpoint(String name, String method, String path, String body, int allowed) {
	}

	record Case(String label, String token, Endpoint endpoint, int expected, String missing) {

		@Override
		public String toString() {
			return this.label + " -> " + this.endpoint.name + ": " + this.expected;
		}

	}

	record Reply(int status, String authenticate, String body) {

		String header(String name) {
			return this.authenticate;
		}

	}

}
