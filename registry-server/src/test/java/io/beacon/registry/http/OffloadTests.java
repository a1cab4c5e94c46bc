package io.beacon.registry.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Endpoints behind an {@link Offload} that runs them on workers: one that blocks (as a write to
 * etcd does while etcd is slow or gone) holds a worker, never an event loop, so the server keeps
 * answering everything else; a full queue is a 503 problem.
 */
class OffloadTests {

	/** More blocked requests than Reactor Netty has event loops (at least 4), each on its connection. */
	private static final int BLOCKED = 8;

	private final CountDownLatch release = new CountDownLatch(1);

	private final Queue<String> threads = new ConcurrentLinkedQueue<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private Offload offload;

	private DisposableServer server;

	@AfterEach
	void stop() {
		this.release.countDown();
		if (this.server != null) {
			this.server.disposeNow();
		}
		this.offload.close();
	}

	@Test
	void blockedWritesHoldWorkersAndTheServerKeepsAnsweringReads() throws Exception {
		CountDownLatch entered = new CountDownLatch(BLOCKED);
		start(Offload.toWorkers(16, 100), entered);
		List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
		for (int i = 0; i < BLOCKED; i++) {
			writes.add(this.http.sendAsync(request("PUT", "/v1/block"), HttpResponse.BodyHandlers.ofString()));
		}
		assertThat(entered.await(10, TimeUnit.SECONDS)).as("all writes blocked in the endpoint").isTrue();

		HttpResponse<String> read = this.http.send(request("GET", "/v1/read"), HttpResponse.BodyHandlers.ofString());

		assertThat(read.statusCode()).isEqualTo(204);
		this.release.countDown();
		for (CompletableFuture<HttpResponse<String>> write : writes) {
			assertThat(write.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
		}
		assertThat(this.threads).hasSize(BLOCKED).allMatch((name) -> name.startsWith("beacon-store-writes"));
	}

	@Test
	void anEndpointWithABodyContinuesOnAWorkerOnceTheBodyIsRead() throws Exception {
		start(Offload.toWorkers(2, 10), new CountDownLatch(0));

		HttpResponse<String> write = this.http.send(request("POST", "/v1/body"), HttpResponse.BodyHandlers.ofString());

		assertThat(write.statusCode()).isEqualTo(204);
		assertThat(this.threads).singleElement().asString().startsWith("beacon-store-writes");
	}

	@Test
	void inlineEndpointsRunOnTheEventLoop() throws Exception {
		this.release.countDown();
		start(Offload.inline(), new CountDownLatch(0));

		assertThat(this.http.send(request("PUT", "/v1/block"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(204);
		assertThat(this.http.send(request("POST", "/v1/body"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(204);
		assertThat(this.threads).hasSize(2).allMatch((name) -> name.startsWith("reactor-http"));
	}

	@Test
	void writesBeyondTheQueueAreAnswered503AndRunNothing() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		start(Offload.toWorkers(1, 1), entered);
		CompletableFuture<HttpResponse<String>> running = this.http.sendAsync(request("PUT", "/v1/block"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			more.add(this.http.sendAsync(request("PUT", "/v1/block"), HttpResponse.BodyHandlers.ofString()));
		}

		// One waits in the queue (the worker is held until the release); the other two are refused.
		await().atMost(Duration.ofSeconds(10)).until(() -> more.stream().filter(CompletableFuture::isDone).count() >= 2);
		List<HttpResponse<String>> refused = more.stream()
			.filter(CompletableFuture::isDone)
			.map(CompletableFuture::join)
			.toList();
		assertThat(refused).hasSize(2).allSatisfy((response) -> {
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(response.body()).contains("store-unavailable").contains("too many writes are waiting");
		});
		this.release.countDown();
		assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
		assertThat(more.stream().map(CompletableFuture::join).filter((r) -> r.statusCode() == 204)).hasSize(1);
		assertThat(this.threads).hasSize(2);
	}

	@Test
	void anEndpointThatBlocksOnlySometimesRunsInlineWhenItSaysItWillNot() throws Exception {
		this.release.countDown();
		this.offload = Offload.toWorkers(2, 10);
		Route heartbeat = Route.put("/v1/beat/{kind}", "beat", this.offload.handler((request) -> {
			this.threads.add(request.pathVariable("kind") + " " + Thread.currentThread().getName());
			return ApiReply.Full.noContent();
		}, (request) -> request.pathVariable("kind").equals("memory")));
		serve(List.of(heartbeat));

		assertThat(this.http.send(request("PUT", "/v1/beat/memory"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(204);
		assertThat(this.http.send(request("PUT", "/v1/beat/remote"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(204);

		assertThat(this.threads).satisfiesExactly((name) -> assertThat(name).startsWith("memory reactor-http"),
				(name) -> assertThat(name).startsWith("remote beacon-store-writes"));
	}

	private void start(Offload offload, CountDownLatch entered) {
		this.offload = offload;
		JsonBodyReader reader = new JsonBodyReader(1024, Duration.ofSeconds(5));
		List<Route> routes = List.of(Route.put("/v1/block", "block", offload.handler((request) -> {
			this.threads.add(Thread.currentThread().getName());
			entered.countDown();
			awaitRelease();
			return ApiReply.Full.noContent();
		})), Route.post("/v1/body", "body", offload.handler((request) -> new ApiReply.Pending(
				reader.readObject(request).map((body) -> {
					this.threads.add(Thread.currentThread().getName());
					return ApiReply.Full.noContent();
				})))), Route.get("/v1/read", "read", (request) -> ApiReply.Full.noContent()));
		serve(routes);
	}

	private void serve(List<Route> routes) {
		ApiDispatcher dispatcher = new ApiDispatcher(routes, new Problems(JsonMapper.builder().build()),
				new IndexHeader(new Registry(Clock.systemUTC(), Ticker.system(), 16)), new SimpleMeterRegistry());
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((r) -> r.route(ApiDispatcher::handles, dispatcher))
			.bindNow();
	}

	private void awaitRelease() {
		try {
			this.release.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private HttpRequest request(String method, String path) {
		HttpRequest.BodyPublisher body = method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{\"a\":1}")
				: HttpRequest.BodyPublishers.noBody();
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + path))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.method(method, body)
			.build();
	}

}
