package io.beacon.sidecar.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import io.beacon.client.loadbalancer.Ejections;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.loadbalancer.RoundRobinStrategy;
import io.beacon.client.web.LoadBalancerExchangeFilterFunction;
import io.beacon.client.web.LoadBalancerMetrics;
import io.beacon.client.web.NoInstanceAvailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy with the starter's real load-balancing filter in front of real Reactor Netty backends
 * on loopback; the view of the services is set by each test, as the discovery cache would hold it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundProxyTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final Map<String, List<ServiceInstance>> view = new ConcurrentHashMap<>();

	private final LoadBalancer loadBalancer = new LoadBalancer(new RoundRobinStrategy(), Map.of(),
			new Ejections(System::nanoTime), Duration.ofSeconds(10));

	private DisposableServer echo;

	private DisposableServer other;

	private OutboundProxy proxy;

	private volatile Sinks.One<Void> releaseSecondChunk;

	private volatile CompletableFuture<String> firstRequestChunk;

	@BeforeAll
	void start() {
		this.echo = HttpServer.create().host("127.0.0.1").port(0).handle(this::backend).bindNow();
		this.other = HttpServer.create().host("127.0.0.1").port(0).handle(this::backend).bindNow();
		LoadBalancerExchangeFilterFunction filter = new LoadBalancerExchangeFilterFunction(this.view::get,
				(service) -> Mono.error(new NoInstanceAvailableException(service, "the registry lists no UP instance")),
				this.loadBalancer, 1, LoadBalancerMetrics.NONE);
		this.proxy = new OutboundProxy(0, filter, Duration.ofSeconds(1), Duration.ofSeconds(10));
		this.proxy.start();
	}

	@AfterAll
	void stop() {
		this.proxy.stop(Duration.ZERO);
		this.echo.disposeNow();
		this.other.disposeNow();
	}

	@BeforeEach
	void oneEchoInstance() {
		this.view.clear();
		this.view.put("echo-service", List.of(instance("echo-1", this.echo.port())));
	}

	@Test
	void firstPathSegmentNamesTheServiceAndTheRestOfThePathIsKeptAsSent() throws Exception {
		HttpResponse<String> response = send(get("/echo-service/items/a%20b?q=x%2Fy&n=1"));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode seen = JSON.readTree(response.body());
		assertThat(seen.get("method").stringValue()).isEqualTo("GET");
		assertThat(seen.get("uri").stringValue()).isEqualTo("/items/a%20b?q=x%2Fy&n=1");
		assertThat(seen.get("port").intValue()).isEqualTo(this.echo.port());
	}

	@Test
	void hostHeaderNamesTheServiceAndTheWholePathIsKept() throws Exception {
		// the JDK client does not let a caller set Host, so this one is written by hand
		String answer = RawHttp.exchange(this.proxy.port(),
				"GET /items/1 HTTP/1.1\r\nHost: Echo-Service:15001\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 200");
		JsonNode seen = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
		assertThat(seen.get("uri").stringValue()).isEqualTo("/items/1");
		assertThat(seen.at("/headers/x-forwarded-host").stringValue()).isEqualTo("Echo-Service:15001");
		assertThat(seen.at("/headers/x-forwarded-prefix").isMissingNode()).isTrue();
	}

	@Test
	void endToEndHeadersAreKeptHopByHopOnesDroppedAndForwardedOnesAdded() throws Exception {
		String answer = RawHttp.exchange(this.proxy.port(), "GET /echo-service/h HTTP/1.1\r\n"
				+ "Host: 127.0.0.1\r\nX-Custom: kept\r\nAuthorization: Bearer abc\r\nConnection: close, X-Hop\r\n"
				+ "X-Hop: dropped\r\nKeep-Alive: timeout=5\r\nProxy-Authorization: Basic eA==\r\n"
				+ "X-Forwarded-For: 10.0.0.9\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("\r\nx-backend: echo\r\n");
		JsonNode headers = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("headers");
		assertThat(headers.get("x-custom").stringValue()).isEqualTo("kept");
		assertThat(headers.get("authorization").stringValue()).isEqualTo("Bearer abc");
		assertThat(headers.has("x-hop")).isFalse();
		assertThat(headers.has("keep-alive")).isFalse();
		assertThat(headers.has("proxy-authorization")).isFalse();
		assertThat(headers.get("host").stringValue()).isEqualTo("127.0.0.1:" + this.echo.port());
		assertThat(headers.get("x-forwarded-for").stringValue()).isEqualTo("10.0.0.9, 127.0.0.1");
		assertThat(headers.get("x-forwarded-proto").stringValue()).isEqualTo("http");
		assertThat(headers.get("x-forwarded-host").stringValue()).isEqualTo("127.0.0.1");
		assertThat(headers.get("x-forwarded-prefix").stringValue()).isEqualTo("/echo-service");
	}

	@Test
	void responseBodyReachesTheCallerBeforeTheInstanceHasFinishedIt() throws Exception {
		this.releaseSecondChunk = Sinks.one();
		HttpResponse<Stream<String>> response = this.http.send(get("/echo-service/stream"),
				HttpResponse.BodyHandlers.ofLines());
		Iterator<String> lines = response.body().iterator();
		// the backend sends the second line only after the caller has read the first one
		assertThat(CompletableFuture.supplyAsync(lines::next).get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo("first");
		this.releaseSecondChunk.tryEmitEmpty();
		assertThat(CompletableFuture.supplyAsync(lines::next).get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo("second");
		assertThat(response.headers().firstValue("content-length")).isEmpty();
	}

	@Test
	void requestBodyReachesTheInstanceBeforeTheCallerHasFinishedIt() throws Exception {
		this.firstRequestChunk = new CompletableFuture<>();
		try (RawHttp.Connection connection = RawHttp.open(this.proxy.port())) {
			connection.send("POST /echo-service/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
					+ "Connection: close\r\n\r\nb\r\nfirst-part;\r\n");
			// the instance has the first part while the caller has not sent the rest
			assertThat(this.firstRequestChunk.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("first-part;");
			connection.send("b\r\nsecond-part\r\n0\r\n\r\n");
			String answer = connection.readAll();
			assertThat(answer).startsWith("HTTP/1.1 200").endsWith("received 22 bytes: first-part;second-part");
		}
	}

	@Test
	void expectContinueIsAnsweredByTheProxyAndNotPassedOn() throws Exception {
		try (RawHttp.Connection connection = RawHttp.open(this.proxy.port())) {
			connection.send("POST /echo-service/e HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
					+ "Expect: 100-continue\r\nConnection: close\r\n\r\n");
			assertThat(connection.readLine()).isEqualTo("HTTP/1.1 100 Continue");
			connection.send("body");
			String answer = connection.readAll();
			assertThat(answer).contains("HTTP/1.1 200");
			JsonNode seen = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n", answer.indexOf("200")) + 4));
			assertThat(seen.get("body").stringValue()).isEqualTo("body");
			assertThat(seen.get("headers").has("expect")).isFalse();
		}
	}

	@Test
	void refusedConnectionIsRetriedOnAnotherInstanceWithTheWholeBodyAndTheInstanceEjected() throws Exception {
		ServiceInstance dead = instance("dead", closedPort());
		ServiceInstance live = instance("live", this.other.port());
		this.view.put("pay-service", List.of(dead, live));
		for (int i = 0; i < 4; i++) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/pay-service/payments"))
				.timeout(DEADLINE)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"o-" + i + "\"}"))
				.build());
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode seen = JSON.readTree(response.body());
			assertThat(seen.get("port").intValue()).isEqualTo(this.other.port());
			assertThat(seen.get("body").stringValue()).isEqualTo("{\"orderId\":\"o-" + i + "\"}");
		}
		assertThat(this.loadBalancer.ejections().isEjected(dead)).isTrue();
	}

	@Test
	void serviceWithoutUpInstanceAnswers503Problem() throws Exception {
		HttpResponse<String> response = send(get("/absent-service/x"));
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:beacon:problem:no-instance-available");
		assertThat(problem.get("status").intValue()).isEqualTo(503);
		assertThat(problem.get("detail").stringValue()).contains("'absent-service'");
	}

	@Test
	void serviceWhoseInstancesAllRefuseAnswers502Problem() throws Exception {
		this.view.put("gone-service", List.of(instance("gone-1", closedPort()), instance("gone-2", closedPort())));
		HttpResponse<String> response = send(get("/gone-service/x"));
		assertThat(response.statusCode()).isEqualTo(502);
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:beacon:problem:bad-gateway");
		assertThat(problem.get("detail").stringValue()).startsWith("No instance of 'gone-service' could be connected to");
	}

	@Test
	void requestThatNamesNoServiceOrAnInvalidOneAnswersProblem() throws Exception {
		HttpResponse<String> none = send(get("/"));
		assertThat(none.statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(none.body()).get("type").stringValue()).isEqualTo("urn:beacon:problem:not-found");

		HttpResponse<String> invalid = send(get("/-bad_name-/x"));
		assertThat(invalid.statusCode()).isEqualTo(400);
		JsonNode problem = JSON.readTree(invalid.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:beacon:problem:invalid-request");
		assertThat(problem.get("detail").stringValue()).contains("'-bad_name-'").contains("DNS label");
	}

	@Test
	void instanceAnswersArePassedOnAsTheyAre() throws Exception {
		HttpResponse<String> response = send(get("/echo-service/status/418"));
		assertThat(response.statusCode()).isEqualTo(418);
		assertThat(response.body()).isEqualTo("teapot");
		assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
	}

	private Mono<Void> backend(HttpServerRequest request, HttpServerResponse response) {
		String path = request.fullPath();
		response.header("X-Backend", "echo");
		if (path.equals("/stream")) {
			return response.header("Content-Type", "text/plain")
				.sendString(Flux.concat(Mono.just("first\n"), this.releaseSecondChunk.asMono().then(Mono.just("second\n"))),
						StandardCharsets.UTF_8)
				.then();
		}
		if (path.equals("/upload")) {
			StringBuilder received = new StringBuilder();
			return request.receive().asString(StandardCharsets.UTF_8).doOnNext((chunk) -> {
				received.append(chunk);
				this.firstRequestChunk.complete(received.toString());
			}).then(Mono.defer(() -> response.sendString(Mono.just("received " + received.length() + " bytes: " + received))
				.then()));
		}
		if (path.startsWith("/status/")) {
			return response.status(Integer.parseInt(path.substring(8)))
				.header("Content-Type", "text/plain")
				.sendString(Mono.just("teapot"))
				.then();
		}
		int port = ((java.net.InetSocketAddress) request.hostAddress()).getPort();
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
			Map<String, Object> seen = new java.util.LinkedHashMap<>();
			seen.put("method", request.method().name());
			seen.put("uri", request.uri());
			seen.put("port", port);
			seen.put("body", body);
			Map<String, String> headers = new java.util.TreeMap<>();
			request.requestHeaders().forEach((header) -> headers.merge(header.getKey().toLowerCase(), header.getValue(),
					(a, b) -> a + ", " + b));
			seen.put("headers", headers);
			return response.header("Content-Type", "application/json")
				.sendString(Mono.just(JSON.writeValueAsString(seen)))
				.then();
		});
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(DEADLINE).GET().build();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.proxy.port() + path);
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static ServiceInstance instance(String id, int port) {
		return new ServiceInstance(id, "any", "127.0.0.1", port, false, InstanceStatus.UP, null, Map.of());
	}

	/** A port nothing listens on: it was just free. */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
