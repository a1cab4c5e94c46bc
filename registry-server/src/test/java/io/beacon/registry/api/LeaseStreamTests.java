package io.beacon.registry.api;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.MutableClock;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lease stream over real connections: a Reactor Netty client opens it and closes its socket as
 * a dying process would, while a watch shows what every client view sees.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "beacon.registry.lease-check-interval=20ms", "beacon.registry.lease-stream.keep-alive=1s" })
@Import({ TestClockConfiguration.class, OwnNettyResources.class })
class LeaseStreamTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	ApiClient api;

	private final BlockingQueue<String> watchEvents = new LinkedBlockingQueue<>();

	private Disposable watch;

	private final java.util.List<LeaseClient> leases = new java.util.ArrayList<>();

	/** The watch's own loops: clients in this JVM must not share the server's. */
	private final LoopResources watchLoops = LoopResources.create("lease-test-watch", 1, true);

	@BeforeEach
	void clients() {
		this.api = new ApiClient(this.port);
	}

	@AfterEach
	void closeWatch() {
		if (this.watch != null) {
			this.watch.dispose();
		}
		this.watchLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
		this.leases.forEach(LeaseClient::closeSocket);
	}

	private LeaseClient lease(String service, String id) {
		LeaseClient lease = new LeaseClient(this.port, service, id);
		this.leases.add(lease);
		return lease;
	}

	private void watch(String service) throws InterruptedException {
		java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
		this.watch = HttpClient.newConnection()
			.runOn(this.watchLoops)
			.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
			.get()
			.uri("http://127.0.0.1:" + this.port + "/v1/watch?service=" + service)
			.responseContent()
			.asString()
			.subscribe((chunk) -> {
				if (chunk.contains("event: snapshot")) {
					started.set(true);
				}
				for (String frame : chunk.split("\n\n")) {
					int data = frame.indexOf("data: ");
					if (data >= 0 && !frame.contains("event: snapshot")) {
						this.watchEvents.add(frame.substring(data + 6));
					}
				}
			});
		// Its snapshot comes once it is subscribed: every change from then on reaches it. (The watch
		// meter would not tell: the registry's own watch for removals counts in it too.)
		await().atMost(Duration.ofSeconds(10)).untilTrue(started);
	}

	private JsonNode nextChange() throws InterruptedException {
		String data = this.watchEvents.poll(10, TimeUnit.SECONDS);
		assertThat(data).as("a change within 10 s").isNotNull();
		return JSON.readTree(data);
	}

	private double metric(String name) {
		return JSON.readTree(this.api.get("/actuator/metrics/" + name).body())
			.get("measurements")
			.get(0)
			.get("value")
			.doubleValue();
	}

	private java.net.http.HttpResponse<String> getAccepting(String path, String accept) {
		try {
			return java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + path))
					.header("Accept", accept)
					.timeout(Duration.ofSeconds(10))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String status(String service, String id) {
		return ApiClient.json(this.api.get("/v1/services/" + service + "/instances/" + id)).get("status").stringValue();
	}

	@Test
	void openingAnswersAStreamThatStartsWithTheBoundEventAndCarriesKeepAlives() throws Exception {
		this.api.register("bound", "b1", 8080);
		LeaseClient lease = lease("bound", "b1");
		JsonNode bound = lease.bound();
		assertThat(lease.status).isEqualTo(200);
		assertThat(lease.contentType).startsWith("text/event-stream");
		assertThat(bound.get("instanceId").stringValue()).isEqualTo("b1");
		assertThat(bound.get("service").stringValue()).isEqualTo("bound");
		assertThat(bound.get("graceMillis").longValue()).isEqualTo(250);
		assertThat(bound.get("keepAliveMillis").longValue()).isEqualTo(1000);
		String keepAlive = lease.chunks.poll(10, TimeUnit.SECONDS);
		assertThat(keepAlive).isEqualTo(":keep-alive\n\n");
		await().atMost(Duration.ofSeconds(10)).until(() -> metric("beacon.registry.lease.streams") >= 1);
		lease.closeSocket();
	}

	@Test
	void closingTheSocketMarksTheInstanceDownAndTellsWatchersAtOnce() throws Exception {
		this.api.register("crash", "c1", 8080);
		LeaseClient lease = lease("crash", "c1");
		lease.bound();
		watch("crash");
		lease.closeSocket();
		JsonNode change = nextChange();
		assertThat(change.get("type").stringValue()).isEqualTo("expired");
		assertThat(change.get("cause").stringValue()).isEqualTo("connection_lost");
		assertThat(change.get("instance").get("status").stringValue()).isEqualTo("DOWN");
		assertThat(status("crash", "c1")).isEqualTo("DOWN");
		assertThat(metric("beacon.registry.lease.connections.lost")).isGreaterThanOrEqualTo(1);
		LeaseClient reopened = lease("crash", "c1");
		reopened.bound();
		JsonNode resumed = nextChange();
		assertThat(resumed.get("cause").stringValue()).isEqualTo("heartbeat_resumed");
		assertThat(resumed.get("instance").get("status").stringValue()).isEqualTo("UP");
		reopened.closeSocket();
	}

	@Test
	void openingTheStreamOfALapsedInstanceBringsItBack() throws Exception {
		this.api.postJson("/v1/services/lapsed/instances",
				"{\"instanceId\":\"l1\",\"host\":\"127.0.0.1\",\"port\":8080,\"leaseTtlSeconds\":1}");
		watch("lapsed");
		this.clock.advance(Duration.ofMillis(1100));
		assertThat(nextChange().get("cause").stringValue()).isEqualTo("lease_lapsed");
		LeaseClient lease = lease("lapsed", "l1");
		lease.bound();
		assertThat(nextChange().get("cause").stringValue()).isEqualTo("heartbeat_resumed");
		lease.closeSocket();
	}

	@Test
	void deregisteringCompletesTheStreamAndMarksNothing() throws Exception {
		this.api.register("leaving", "d1", 8080);
		LeaseClient lease = lease("leaving", "d1");
		lease.bound();
		watch("leaving");
		double lost = metric("beacon.registry.lease.connections.lost");
		assertThat(this.api.send("DELETE", "/v1/services/leaving/instances/d1", null, null).statusCode())
			.isEqualTo(204);
		await().atMost(Duration.ofSeconds(10)).untilTrue(lease.completed);
		assertThat(nextChange().get("cause").stringValue()).isEqualTo("deregistered");
		assertThat(this.watchEvents).isEmpty();
		assertThat(metric("beacon.registry.lease.connections.lost")).isEqualTo(lost);
	}

	@Test
	void anUnknownInstanceIsANotFoundProblem() {
		var response = this.api.send("GET", "/v1/services/nobody/instances/n1/lease", null, null);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(ApiClient.json(response).get("detail").stringValue()).contains("n1");
	}

	@Test
	void aClientThatCannotReadEventStreamsIsRefused() {
		this.api.register("picky", "p1", 8080);
		var response = getAccepting("/v1/services/picky/instances/p1/lease", "application/json");
		assertThat(response.statusCode()).isEqualTo(406);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void aQueryParameterIsABadRequestProblem() {
		this.api.register("query", "q1", 8080);
		var response = this.api.send("GET", "/v1/services/query/instances/q1/lease?x=1", null, null);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

}
