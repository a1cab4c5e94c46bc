package io.beacon.bench.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Calls to a registry's REST API through Reactor Netty's HTTP client, on an event loop of its own
 * (so that control calls never queue behind the reading of watch streams) with a bounded pool of
 * keep-alive connections. Every call has a deadline.
 */
public final class RegistryClient implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final LoopResources loop;

	private final ConnectionProvider pool;

	private final HttpClient http;

	/**
	 * @param base the registry's loopback base URL
	 * @param name names the event loop thread and the pool
	 * @param connections how many keep-alive connections calls may use at once
	 */
	public RegistryClient(URI base, String name, int connections) {
		this.loop = LoopResources.create(name, 1, true);
		this.pool = ConnectionProvider.builder(name)
			.maxConnections(connections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(TIMEOUT)
			.build();
		this.http = HttpClient.create(this.pool).runOn(this.loop).baseUrl(base.toString()).responseTimeout(TIMEOUT);
	}

	/** One exchange: its status and body (for a JSON body, {@code json} is sent as {@code application/json}). */
	public Mono<Reply> exchange(HttpMethod method, String path, String json) {
		HttpClient client = (json != null)
				? this.http.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json")) : this.http;
		return client.request(method)
			.uri(path)
			.send((json != null) ? ByteBufFlux.fromString(Mono.just(json), StandardCharsets.UTF_8, ByteBufAllocator.DEFAULT)
					: Mono.empty())
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> new Reply(response.status().code(), text)))
			.timeout(TIMEOUT.plusSeconds(5));
	}

	/** {@link #exchange} and wait for the reply. */
	public Reply send(HttpMethod method, String path, String json) {
		return exchange(method, path, json).block();
	}

	@Override
	public void close() {
		this.pool.disposeLater().block(TIMEOUT);
		this.loop.disposeLater().block(TIMEOUT);
	}

	/** A response: its status code and its body as text. */
	public record Reply(int status, String body) {

		public boolean ok() {
			return this.status / 100 == 2;
		}

	}

}
