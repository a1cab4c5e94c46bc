package io.beacon.systemtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import tools.jackson.databind.JsonNode;

import static org.awaitility.Awaitility.await;

/**
 * A watch stream held open on one service of a registry process, recording every change event with
 * the {@link System#nanoTime()} at which its last line arrived: the registry's pushes, timed as a
 * watcher sees them.
 */
final class WatchRecorder implements AutoCloseable {

	/** One change as the watcher saw it: the SSE event name, its cause and the instance's status then. */
	record Event(long receivedAt, String type, String cause, String instanceId, String status) {

		boolean isDown() {
			return "DOWN".equals(this.status);
		}

	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final Lines lines = new Lines();

	private final CompletableFuture<HttpResponse<Void>> response;

	private volatile boolean snapshot;

	WatchRecorder(int registryPort, String service) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + registryPort + "/v1/watch?service=" + service))
			.header("Accept", "text/event-stream")
			.build();
		this.response = this.http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(this.lines));
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			if (this.response.isCompletedExceptionally()) {
				this.response.join();
			}
			return this.snapshot;
		});
	}

	/** Every change to {@code instanceId} seen so far, in order. */
	List<Event> of(String instanceId) {
		return this.events.stream().filter((event) -> event.instanceId().equals(instanceId)).toList();
	}

	/** The first change that showed {@code instanceId} DOWN at or after {@code since} (a nanoTime). */
	Optional<Event> firstDown(String instanceId, long since) {
		return of(instanceId).stream().filter((event) -> event.receivedAt() >= since && event.isDown()).findFirst();
	}

	/** Whether the stream is still open: a registry that closed it would leave the test blind. */
	boolean isOpen() {
		return !this.lines.completed && !this.response.isCompletedExceptionally();
	}

	private void dispatch(String type, String data) {
		if ("snapshot".equals(type)) {
			this.snapshot = true;
			return;
		}
		if (type == null || data == null) {
			return;
		}
		JsonNode change = Http.JSON.readTree(data);
		JsonNode instance = change.get("instance");
		this.events.add(new Event(System.nanoTime(), type, change.get("cause").stringValue(),
				instance.get("instanceId").stringValue(), instance.get("status").stringValue()));
	}

	@Override
	public void close() {
		Flow.Subscription subscription = this.lines.subscription;
		if (subscription != null) {
			subscription.cancel();
		}
		this.response.cancel(true);
	}

	/** Frames the stream's lines into events (an event ends with an empty line; comments are skipped). */
	private final class Lines implements Flow.Subscriber<String> {

		private volatile Flow.Subscription subscription;

		private volatile boolean completed;

		private String type;

		private StringBuilder data;

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			if (line.isEmpty()) {
				dispatch(this.type, (this.data != null) ? this.data.toString() : null);
				this.type = null;
				this.data = null;
			}
			else if (line.startsWith("event:")) {
				this.type = line.substring("event:".length()).strip();
			}
			else if (line.startsWith("data:")) {
				String chunk = line.substring("data:".length()).stripLeading();
				this.data = (this.data == null) ? new StringBuilder(chunk) : this.data.append('\n').append(chunk);
			}
		}

		@Override
		public void onError(Throwable error) {
			this.completed = true;
		}

		@Override
		public void onComplete() {
			this.completed = true;
		}

	}

}
