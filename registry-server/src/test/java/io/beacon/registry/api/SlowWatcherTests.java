package io.beacon.registry.api;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A watcher that stops reading is cut off once it falls {@code max-pending-events} changes behind,
 * while the registry keeps answering and a watcher that reads gets every change, in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "beacon.registry.watch.max-pending-events=16")
@Import(TestClockConfiguration.class)
class SlowWatcherTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private static final int CHANGES = 300;

	@LocalServerPort
	int port;

	@Test
	void stalledWatcherIsCutOffWhileTheRegistryAndOtherWatchersCarryOn() throws Exception {
		ApiClient api = new ApiClient(this.port);
		// about 40 KB per event, so a stalled socket's buffers fill after a few changes
		StringBuilder metadata = new StringBuilder("{");
		for (int i = 0; i < 40; i++) {
			metadata.append((i > 0) ? "," : "").append("\"k").append(i).append("\":\"").append("x".repeat(1000)).append('"');
		}
		metadata.append('}');
		assertThat(api.postJson("/v1/services/slow/instances",
				"{\"instanceId\":\"s1\",\"host\":\"127.0.0.1\",\"port\":8080,\"metadata\":" + metadata + "}")
			.statusCode()).isEqualTo(201);

		BlockingQueue<ServerSentEvent<String>> events = new LinkedBlockingQueue<>();
		Disposable reader = WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/v1/watch?service=slow")
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.event() != null)
			.subscribe(events::add);
		try (Socket stalled = new Socket()) {
			stalled.setReceiveBufferSize(4096);
			stalled.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
			OutputStream out = stalled.getOutputStream();
			out.write(("GET /v1/watch?service=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(next(events).event()).isEqualTo("snapshot");
			await().atMost(Duration.ofSeconds(10)).until(() -> metric(api, "beacon.registry.watch.streams") == 2.0);

			for (int i = 0; i < CHANGES; i++) {
				String status = (i % 2 == 0) ? "DRAINING" : "UP";
				assertThat(api.putJson("/v1/services/slow/instances/s1/status", "{\"status\":\"" + status + "\"}")
					.statusCode()).isEqualTo(200);
			}

			for (int i = 0; i < CHANGES; i++) {
				ServerSentEvent<String> event = next(events);
				assertThat(event.event()).isEqualTo("updated");
				assertThat(JSON.readTree(event.data()).get("instance").get("status").stringValue())
					.isEqualTo((i % 2 == 0) ? "DRAINING" : "UP");
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> metric(api, "beacon.registry.watch.overflows") == 1.0
						&& metric(api, "beacon.registry.watch.streams") == 1.0);
		}
		finally {
			reader.dispose();
		}
	}

	private static ServerSentEvent<String> next(BlockingQueue<ServerSentEvent<String>> events)
			throws InterruptedException {
		ServerSentEvent<String> event = events.poll(10, TimeUnit.SECONDS);
		assertThat(event).as("an event within 10 s").isNotNull();
		return event;
	}

	private static double metric(ApiClient api, String name) {
		JsonNode metric = ApiClient.json(api.get("/actuator/metrics/" + name));
		return metric.get("measurements").get(0).get("value").doubleValue();
	}

}
