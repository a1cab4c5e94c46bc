package io.beacon.registry.http;

import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers errors outside the API (actuator, unknown paths) with the same problems the API answers
 * with ({@link Problems#reply}), before Boot's own error handler, so no error reaches a client in
 * another shape.
 */
@Order(-2)
final class ProblemWebExceptionHandler implements WebExceptionHandler {

	private final Problems problems;

	ProblemWebExceptionHandler(Problems problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		ApiReply.Full problem = this.problems.reply(ex, exchange.getRequest().getPath().value());
		response.setStatusCode(problem.status());
		problem.headers().forEach(response.getHeaders()::set);
		response.getHeaders().set(HttpHeaders.CONTENT_TYPE, problem.contentType());
		response.getHeaders().setContentLength(problem.body().length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(problem.body())));
	}

}
