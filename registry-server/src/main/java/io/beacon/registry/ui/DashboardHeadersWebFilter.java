package io.beacon.registry.ui;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Hardens the dashboard's responses: the page may load only its own scripts, styles and API (no
 * inline script, no third party), may not be framed, and its files are revalidated on every load so
 * an upgraded registry serves its new page at once.
 */
final class DashboardHeadersWebFilter implements WebFilter {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		if (path.equals("/") || path.startsWith("/ui/") || path.startsWith("/webjars/uplot/")) {
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
			headers.set("X-Content-Type-Options", "nosniff");
			headers.set("Referrer-Policy", "no-referrer");
			headers.setCacheControl("no-cache");
		}
		return chain.filter(exchange);
	}

}
