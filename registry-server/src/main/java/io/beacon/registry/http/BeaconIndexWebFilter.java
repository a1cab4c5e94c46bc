package io.beacon.registry.http;

import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the {@link IndexHeader} on every response of the WebFlux side (actuator), errors included;
 * the API's dispatcher puts it on the API's.
 */
final class BeaconIndexWebFilter implements WebFilter {

	private final IndexHeader indexHeader;

	BeaconIndexWebFilter(IndexHeader indexHeader) {
		this.indexHeader = indexHeader;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			response.getHeaders().set(IndexHeader.NAME, this.indexHeader.value());
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

}
