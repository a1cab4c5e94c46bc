package io.beacon.bench.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Server-Sent Event streams of a registry - watch streams ({@code GET /v1/watch?service=...}) and
 * lease streams ({@code GET /v1/services/{service}/instances/{id}/lease}) - read with Reactor Netty's
 * HTTP client, each on a connection of its own, all on one event loop thread: every buffer goes
 * straight from the socket to the stream's {@link SseEventScanner}, with no hand-off to another
 * thread (the JDK client's hand-off from its selector thread to its executor made the client the
 * slow side with a thousand streams). With several base URLs (registry replicas), the n-th stream
 * opened goes to the (n mod count)-th of them.
 */
public final class WatchStreams implements AutoCloseable {

	private final LoopResources loop;

	private final List<HttpClient> replicas;

	private final List<Disposable> open = new ArrayList<>();

	private final AtomicInteger opened = new AtomicInteger();

	/** @param base the registry's loopback base URL */
	public WatchStreams(URI base) {
		this(List.of(base));
	}

	/** @param bases the loopback base URLs of the registry replicas the streams are spread over */
	public WatchStreams(List<URI> bases) {
		if (bases.isEmpty()) {
			throw new IllegalArgumentException("at least one base URL is needed");
		}
		this.loop = LoopResources.create("watch-streams", 1, true);
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
			.runOn(this.loop)
			.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"));
		this.replicas = bases.stream().map((base) -> http.baseUrl(base.toString())).toList();
	}

	/** How many base URLs the streams are spread over. */
	public int replicas() {
		return this.replicas.size();
	}

	/**
	 * Opens one stream on the watch of {@code service}, on the next base URL in turn; its events go to
	 * {@code listener}, and {@code ended} is told once when the stream fails or ends (with the error,
	 * or {@code null}).
	 */
	public void open(String service, SseEventScanner.Listener listener, java.util.function.Consumer<Throwable> ended) {
		openPath("/v1/watch?service=" + service, listener, ended);
	}

	/** As {@link #open}, for any event stream of the registry: {@code path} with its query, on the next base URL in turn. */
	public void openPath(String path, SseEventScanner.Listener listener, java.util.function.Consumer<Throwable> ended) {
		SseEventScanner scanner = new SseEventScanner(listener);
		HttpClient http = this.replicas.get(this.opened.getAndIncrement() % this.replicas.size());
		Disposable stream = http.get()
			.uri(path)
			.response((response, body) -> (response.status().code() != 200)
					? Flux.error(new IllegalStateException(path + " answered " + response.status()))
					: body.handle((buffer, sink) -> scanner.accept(buffer)))
			.subscribe(null, ended, () -> ended.accept(null));
		synchronized (this.open) {
			this.open.add(stream);
		}
	}

	/** Closes every stream (and its connection), then the event loop. */
	@Override
	public void close() {
		synchronized (this.open) {
			this.open.forEach(Disposable::dispose);
			this.open.clear();
		}
		this.loop.disposeLater().block(Duration.ofSeconds(10));
	}

}
