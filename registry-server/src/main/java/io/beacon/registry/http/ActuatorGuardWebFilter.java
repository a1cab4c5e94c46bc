package io.beacon.registry.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import io.beacon.registry.security.AccessRefusedException;
import io.beacon.registry.security.ApiGuard;
import io.beacon.registry.security.GuardedRequest;
import io.beacon.registry.security.Operation;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * With security on, lets through the open actuator endpoints (health and prometheus by default)
 * and requires an admin token, checked by the API's own {@link ApiGuard}, for every other one. The
 * API under /v1 never passes through WebFlux, so this filter never sees it.
 */
final class ActuatorGuardWebFilter implements WebFilter {

	private final ApiGuard guard;

	private final String basePath;

	private final Set<String> openEndpoints;

	ActuatorGuardWebFilter(ApiGuard guard, String basePath, Set<String> openEndpoints) {
		this.guard = guard;
		this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		this.openEndpoints = Set.copyOf(openEndpoints);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String path = request.getPath().pathWithinApplication().value();
		if (!path.equals(this.basePath) && !path.startsWith(this.basePath + "/")) {
			return chain.filter(exchange);
		}
		String rest = path.substring(this.basePath.length());
		String id = rest.isEmpty() ? "" : rest.substring(1).split("/", 2)[0];
		if (this.openEndpoints.contains(id)) {
			return chain.filter(exchange);
		}
		try {
			this.guard.admit(Operation.ADMIN, new ExchangeRequest(request));
		}
		catch (AccessRefusedException ex) {
			return Mono.error(ex);
		}
		return chain.filter(exchange);
	}

	private record ExchangeRequest(ServerHttpRequest request) implements GuardedRequest {

		@Override
		public List<String> authorizations() {
			List<String> values = this.request.getHeaders().get(HttpHeaders.AUTHORIZATION);
			return (values != null) ? values : List.of();
		}

		@Override
		public String rawQuery() {
			return this.request.getURI().getRawQuery();
		}

		@Override
		public String remoteAddress() {
			InetSocketAddress remote = this.request.getRemoteAddress();
			if (remote == null) {
				return "unknown";
			}
			return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
		}

		@Override
		public String service() {
			return null;
		}

	}

}
