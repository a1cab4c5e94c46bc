package io.beacon.sample.gateway;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory.RetryConfig;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Retries a request on another instance when that is safe, with the same rules as the Beacon
 * starter's load balancer: a request that never reached an instance (connection refused: a crashed
 * instance still in the registry until its lease lapses) always; one that failed on the way (a reset:
 * the instance died mid-request) only when the method is idempotent or the request carries an
 * {@code Idempotency-Key}, which the instance honours by applying it at most once. Built on Spring
 * Cloud Gateway's own Retry filter. The request body (at most {@link #MAX_BODY_BYTES}) is read once
 * into memory and every attempt gets a fresh buffer of it: the Retry filter's own body cache hands
 * a retry buffers the failed attempt has already released, and the retry then hangs half-sent.
 * <p>
 * The answer to a request that may be sent again is read whole (up to {@link #MAX_BODY_BYTES}) before
 * the gateway starts its own answer: an instance that dies half-way through its answer then fails an
 * attempt that can still be retried, instead of an answer already half-sent to the client. Answers
 * that announce a larger length stream through as they come.
 * <p>
 * Use as {@code - SafeRetry} (default 2 retries) or {@code - SafeRetry=3}.
 */
@Component
class SafeRetryGatewayFilterFactory extends AbstractGatewayFilterFactory<SafeRetryGatewayFilterFactory.Config> {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	/** The largest request body the gateway keeps to send again. */
	static final int MAX_BODY_BYTES = 256 * 1024;

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE);

	private final RetryGatewayFilterFactory retry;

	SafeRetryGatewayFilterFactory(RetryGatewayFilterFactory retry) {
		super(Config.class);
		this.retry = retry;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("retries");
	}

	@Override
	public GatewayFilter apply(Config config) {
		GatewayFilter anyFailure = this.retry.apply(retryConfig(config, IOException.class, TimeoutException.class));
		GatewayFilter notSent = this.retry.apply(retryConfig(config, ConnectException.class));
		return (exchange, chain) -> {
			boolean repeatable = repeatable(exchange.getRequest());
			GatewayFilter retry = repeatable ? anyFailure : notSent;
			if (repeatable) {
				exchange = exchange.mutate().response(wholeBeforeWriting(exchange.getResponse())).build();
			}
			if (!hasBody(exchange.getRequest())) {
				return retry.filter(exchange, chain);
			}
			ServerWebExchange current = exchange;
			return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY_BYTES)
				.map(SafeRetryGatewayFilterFactory::bytes)
				.defaultIfEmpty(new byte[0])
				.onErrorMap(DataBufferLimitException.class, (ex) -> new ResponseStatusException(
						HttpStatus.CONTENT_TOO_LARGE, "The request body is over " + MAX_BODY_BYTES + " bytes"))
				.flatMap((body) -> retry.filter(current.mutate().request(replayable(current, body)).build(), chain));
		};
	}

	/** The response, written only once the instance's whole answer has arrived (see the class comment). */
	private static ServerHttpResponse wholeBeforeWriting(ServerHttpResponse response) {
		return new ServerHttpResponseDecorator(response) {

			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
				if (getHeaders().getContentLength() > MAX_BODY_BYTES) {
					return super.writeWith(body);
				}
				return DataBufferUtils.join(Flux.from(body), MAX_BODY_BYTES)
					.flatMap((whole) -> super.writeWith(Mono.just(whole)))
					.switchIfEmpty(Mono.defer(() -> super.writeWith(Flux.empty())));
			}

		};
	}

	private static boolean hasBody(ServerHttpRequest request) {
		return request.getHeaders().getContentLength() > 0
				|| request.getHeaders().containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/** The request with a body every subscriber (every attempt) gets afresh. */
	private static ServerHttpRequest replayable(ServerWebExchange exchange, byte[] body) {
		return new ServerHttpRequestDecorator(exchange.getRequest()) {

			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
			}

		};
	}

	@SafeVarargs
	private static RetryConfig retryConfig(Config config, Class<? extends Throwable>... exceptions) {
		RetryConfig retry = new RetryConfig().setRetries(config.getRetries())
			.allMethods()
			.setSeries()
			.setStatuses()
			.setExceptions(exceptions)
			.setBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2, false);
		// no route id: it would switch on the Retry filter's own body cache (see the class comment)
		return retry;
	}

	static boolean repeatable(ServerHttpRequest request) {
		return IDEMPOTENT.contains(request.getMethod()) || request.getHeaders().containsHeader(IDEMPOTENCY_KEY);
	}

	/**
	 * How many other attempts a request may get.
	 */
	public static class Config {

		/** Retries after the first attempt. */
		private int retries = 2;

		public int getRetries() {
			return this.retries;
		}

		public void setRetries(int retries) {
			this.retries = retries;
		}

	}

}
