package io.beacon.sidecar.proxy;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.client.web.NoInstanceAvailableException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The app's way out: an HTTP proxy on 127.0.0.1 that sends each request to an UP instance of the
 * service it names (see {@link ProxyRoute}), through the starter's load-balancing filter, so the
 * choice of instance, the retry on another instance when a connection fails, and the ejection of
 * that instance are the starter's, from its push-updated view. Bodies stream both ways (nothing
 * is buffered whole); headers are kept except the hop-by-hop ones, and {@code X-Forwarded-*} are
 * added. When no instance can take the request the app gets a problem: 503 when the service has no
 * UP instance, 502 when no instance could be reached, 504 when the instance went silent.
 */
public final class OutboundProxy {

	private static final Logger logger = LoggerFactory.getLogger(OutboundProxy.class);

	private final int port;

	private final WebClient client;

	private final ConnectionProvider connections;

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private DisposableServer server;

	/**
	 * @param port the port to listen on, on 127.0.0.1 (0 for any free one)
	 * @param loadBalancing the starter's load-balancing filter
	 * @param connectTimeout time allowed to connect to an instance
	 * @param responseTimeout longest silence allowed while waiting for or reading an answer
	 */
	public OutboundProxy(int port, ExchangeFilterFunction loadBalancing, Duration connectTimeout,
			Duration responseTimeout) {
		this.port = port;
		this.connections = ConnectionProvider.builder("beacon-sidecar-proxy")
			.maxConnections(1024)
			.maxIdleTime(Duration.ofSeconds(20))
			.build();
		HttpClient http = HttpClient.create(this.connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
			.responseTimeout(responseTimeout);
		this.client = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.filter(loadBalancing)
			.build();
	}

	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		this.server = HttpServer.create().host("127.0.0.1").port(this.port).handle(this::forward).bindNow();
		logger.info("Outbound proxy listening on http://127.0.0.1:{}/<service>/<path>", port());
	}

	/** The port it listens on. */
	public synchronized int port() {
		return (this.server != null) ? this.server.port() : this.port;
	}

	/** Stops accepting, lets requests under way finish for up to {@code grace}, then closes. */
	public synchronized void stop(Duration grace) {
		if (this.server != null) {
			this.server.disposeNow(grace.isZero() ? Duration.ofMillis(1) : grace);
			this.server = null;
		}
		this.connections.disposeLater().block(Duration.ofSeconds(5));
	}

	private Mono<Void> forward(HttpServerRequest request, HttpServerResponse response) {
		ProxyRoute route;
		try {
			route = ProxyRoute.of(request.uri(), request.requestHeaders().get("Host"));
		}
		catch (ProxyRoute.InvalidRouteException ex) {
			return Problem.invalidRoute(ex).send(response, request.uri());
		}
		WebClient.RequestBodySpec outbound = this.client.method(HttpMethod.valueOf(request.method().name()))
			.uri(URI.create("http://" + route.service() + route.path()))
			.headers((headers) -> headers
				.addAll(ForwardedHeaders.request(request.requestHeaders(), request.remoteAddress(), route)));
		WebClient.RequestHeadersSpec<?> withBody = hasBody(request)
				? outbound.body(BodyInserters.fromDataBuffers(oneShot(request))) : outbound;
		return withBody.exchangeToMono((upstream) -> relay(upstream, response))
			.onErrorResume((ex) -> !response.hasSentHeaders(),
					(ex) -> problemFor(ex, route).send(response, request.uri()));
	}

	private Mono<Void> relay(ClientResponse upstream, HttpServerResponse response) {
		response.status(upstream.statusCode().value());
		ForwardedHeaders.response(upstream.headers().asHttpHeaders(), response.responseHeaders());
		return response
			.send(upstream.bodyToFlux(DataBuffer.class).map(NettyDataBufferFactory::toByteBuf), (buffer) -> true)
			.then();
	}

	/**
	 * The request body as a stream that can be read once. A connection that fails before the request
	 * was sent has not read it, so the load balancer's retry after a connect failure sends it whole;
	 * a second read (a retry after an instance answered 502-504) is refused with a clear error
	 * instead of sending a truncated body.
	 */
	private Flux<DataBuffer> oneShot(HttpServerRequest request) {
		AtomicBoolean read = new AtomicBoolean();
		return Flux.defer(() -> read.compareAndSet(false, true) ? request.receive().retain().map(this.buffers::wrap)
				: Flux.error(new BodyAlreadySentException()));
	}

	private static boolean hasBody(HttpServerRequest request) {
		String length = request.requestHeaders().get("Content-Length");
		return (length != null && !length.trim().equals("0")) || request.requestHeaders().contains("Transfer-Encoding");
	}

	private static Problem problemFor(Throwable ex, ProxyRoute route) {
		String service = route.service();
		if (ex instanceof NoInstanceAvailableException) {
			return new Problem(503, "no-instance-available", "No instance available", ex.getMessage());
		}
		if (causedBy(ex, BodyAlreadySentException.class)) {
			return new Problem(502, "bad-gateway", "Bad gateway", "An instance of '" + service + "' failed after the "
					+ "request body was sent, and a streamed body cannot be sent again");
		}
		if (causedBy(ex, ConnectException.class) || causedBy(ex, ConnectTimeoutException.class)) {
			return new Problem(502, "bad-gateway", "Bad gateway",
					"No instance of '" + service + "' could be connected to: " + rootMessage(ex));
		}
		if (causedBy(ex, ReadTimeoutException.class) || causedBy(ex, TimeoutException.class)) {
			return new Problem(504, "gateway-timeout", "Gateway timeout",
					"The instance of '" + service + "' did not answer in time");
		}
		logger.debug("Proxying to {} failed", service, ex);
		return new Problem(502, "bad-gateway", "Bad gateway",
				"The call to '" + service + "' failed: " + rootMessage(ex));
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	/** A streamed request body was asked for a second time. */
	static final class BodyAlreadySentException extends IllegalStateException {

		BodyAlreadySentException() {
			super("The request body was already sent to another instance");
		}

	}

}
