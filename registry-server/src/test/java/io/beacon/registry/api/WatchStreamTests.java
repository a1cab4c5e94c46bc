package io.beacon.registry.api;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "beacon.registry.lease-check-interval=20ms", "beacon.registry.watch.change-log-capacity=8",
				"beacon.registry.watch.keep-alive=1s" })
@Import(TestClockConfiguration.class)
class WatchStreamTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	ApiClient api;

	WebClient web;

	private final BlockingQueue<ServerSentEvent<String>> events = new LinkedBlockingQueue<>();

	private Disposable subscription;

	@BeforeEach
	void clients() {
		this.api = new ApiClient(this.port);
		this.web = WebClient.create("http://127.0.0.1:" + this.port);
	}

	@AfterEach
	void closeStream() {
		if (this.subscription != null) {
			this.subscription.dispose();
		}
	}

	@Test
	void healthCausesGivenWithAStatusArePublishedToWatchers() throws Exception {
		this.api.register("checked", "c1", 8080);
		open("/v1/watch?service=checked", null);
		assertThat(next().event()).isEqualTo("snapshot");
		assertThat(this.api.putJson("/v1/services/checked/instances/c1/status",
				"{\"status\":\"DOWN\",\"cause\":\"health_down\"}").statusCode()).isEqualTo(200);
		assertThat(this.api.putJson("/v1/services/checked/instances/c1/status",
				"{\"status\":\"UP\",\"cause\":\"health_restored\"}").statusCode()).isEqualTo(200);
		JsonNode down = JSON.readTree(next().data());
		JsonNode restored = JSON.readTree(next().data());
		assertThat(down.get("type").stringValue()).isEqualTo("updated");
		assertThat(down.get("cause").stringValue()).isEqualTo("health_down");
		assertThat(down.get("instance").get("status").stringValue()).isEqualTo("DOWN");
		assertThat(restored.get("cause").stringValue()).isEqualTo("health_restored");
		assertThat(restored.get("instance").get("status").stringValue()).isEqualTo("UP");
	}

	@Test
	void streamStartsWithASnapshotThenSendsEachChangeInOrder() throws Exception {
		this.api.register("watched", "w1", 8080);
		this.api.register("unwatched", "u1", 8080);
		open("/v1/watch?service=watched", null);
		ServerSentEvent<String> snapshot = next();
		assertThat(snapshot.event()).isEqualTo("snapshot");
		JsonNode data = JSON.readTree(snapshot.data());
		assertThat(data.get("registryId").stringValue()).isNotBlank();
		assertThat(Long.parseLong(snapshot.id())).isEqualTo(data.get("index").longValue());
		assertThat(data.get("services").propertyNames()).containsExactly("watched");
		assertThat(data.get("services").get("watched")).extracting((i) -> i.get("instanceId").stringValue())
			.containsExactly("w1");

		this.api.postJson("/v1/services/watched/instances",
				"{\"instanceId\":\"w2\",\"host\":\"127.0.0.1\",\"port\":8081,\"leaseTtlSeconds\":1}");
		this.api.register("unwatched", "u2", 8080);
		this.api.putJson("/v1/services/watched/instances/w1/status", "{\"status\":\"DRAINING\"}");
		this.api.heartbeat("watched", "w1");
		this.clock.advance(Duration.ofMillis(1100));
		ServerSentEvent<String> registered = next();
		ServerSentEvent<String> updated = next();
		ServerSentEvent<String> expired = next();
		this.api.send("DELETE", "/v1/services/watched/instances/w1", null, null);
		ServerSentEvent<String> deregistered = next();

		assertThat(List.of(registered, updated, expired, deregistered)).extracting(ServerSentEvent::event)
			.containsExactly("registered", "updated", "expired", "deregistered");
		assertThat(List.of(registered, updated, expired, deregistered))
			.extracting((event) -> JSON.readTree(event.data()).get("instance").get("instanceId").stringValue())
			.containsExactly("w2", "w1", "w2", "w1");
		JsonNode change = JSON.readTree(updated.data());
		assertThat(change.get("type").stringValue()).isEqualTo("updated");
		assertThat(change.get("cause").stringValue()).isEqualTo("status_changed");
		assertThat(change.get("service").stringValue()).isEqualTo("watched");
		assertThat(change.get("instance").get("status").stringValue()).isEqualTo("DRAINING");
		long snapshotIndex = Long.parseLong(snapshot.id());
		assertThat(Long.parseLong(registered.id())).isEqualTo(snapshotIndex + 1);
		assertThat(Long.parseLong(updated.id())).isEqualTo(snapshotIndex + 3);
		assertThat(Long.parseLong(deregistered.id())).isGreaterThan(Long.parseLong(expired.id()));
		assertThat(JSON.readTree(deregistered.data()).get("cause").stringValue()).isEqualTo("deregistered");
	}

	@Test
	void reconnectingWithLastEventIdResumesWithOnlyTheMissedChanges() throws Exception {
		this.api.register("resume", "r1", 8080);
		long seen = ApiClient.index(this.api.get("/v1/services"));
		this.api.register("resume", "r2", 8080);
		this.api.register("resume", "r3", 8080);
		open("/v1/watch?service=resume", Long.toString(seen));
		ServerSentEvent<String> first = next();
		ServerSentEvent<String> second = next();
		assertThat(List.of(first, second)).extracting(ServerSentEvent::event)
			.containsExactly("registered", "registered");
		assertThat(List.of(first, second))
			.extracting((event) -> JSON.readTree(event.data()).get("instance").get("instanceId").stringValue())
			.containsExactly("r2", "r3");
		this.api.register("resume", "r4", 8080);
		assertThat(JSON.readTree(next().data()).get("instance").get("instanceId").stringValue()).isEqualTo("r4");
	}

	@Test
	void reconnectingAfterTheChangeLogMovedOnGetsAFreshSnapshot() throws Exception {
		this.api.register("gone", "g1", 8080);
		long seen = ApiClient.index(this.api.get("/v1/services"));
		for (int i = 0; i < 12; i++) {
			this.api.register("filler", "f" + i, 8080);
		}
		open("/v1/watch?service=gone", Long.toString(seen));
		ServerSentEvent<String> snapshot = next();
		assertThat(snapshot.event()).isEqualTo("snapshot");
		assertThat(JSON.readTree(snapshot.data()).get("services").get("gone")).hasSize(1);
	}

	@Test
	void watchingEveryServiceSeesAllOfThem() throws Exception {
		this.api.register("all-a", "a1", 8080);
		open("/v1/watch", null);
		JsonNode snapshot = JSON.readTree(next().data());
		assertThat(snapshot.get("services").propertyNames()).contains("all-a");
		this.api.register("all-b", "b1", 8080);
		assertThat(JSON.readTree(next().data()).get("service").stringValue()).isEqualTo("all-b");
	}

	@Test
	void idleStreamGetsKeepAliveComments() throws Exception {
		List<ServerSentEvent<String>> received = this.web.get()
			.uri("/v1/watch?service=quiet")
			.retrieve()
			.bodyToFlux(SSE)
			.take(Duration.ofMillis(2500))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(received).extracting(ServerSentEvent::comment).contains("keep-alive");
	}

	@Test
	void streamAnnouncesItsKeepAliveIntervalAsAnIsoDuration() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/watch"))
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofInputStream());
		response.body().close();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Beacon-Keep-Alive")).hasValue("PT1S");
	}

	@Test
	void openStreamsAreCountedInMetrics() throws Exception {
		open("/v1/watch?service=metered", null);
		next();
		JsonNode metric = JSON.readTree(this.api.get("/actuator/metrics/beacon.registry.watch.streams").body());
		assertThat(metric.get("measurements").get(0).get("value").doubleValue()).isGreaterThanOrEqualTo(1.0);
	}

	private void open(String path, String lastEventId) {
		this.subscription = this.web.get()
			.uri(path)
			.headers((headers) -> {
				if (lastEventId != null) {
					headers.set("Last-Event-ID", lastEventId);
				}
			})
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.event() != null)
			.subscribe(this.events::add);
	}

	private ServerSentEvent<String> next() throws InterruptedException {
		ServerSentEvent<String> event = this.events.poll(10, TimeUnit.SECONDS);
		assertThat(event).as("an event within 10 s").isNotNull();
		return event;
	}

}
