package io.beacon.registry.web;

import io.beacon.registry.core.Registry;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the registry index, as of the moment the response is sent, in a {@code Beacon-Index}
 * header on every response, errors included.
 */
final class BeaconIndexWebFilter implements WebFilter {

	static final String HEADER = ApiDispatcher.INDEX_HEADER;

	private final Registry registry;

	BeaconIndexWebFilter(Registry registry) {
		this.registry = registry;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			response.getHeaders().set(HEADER, Long.toString(this.registry.index()));
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

}
