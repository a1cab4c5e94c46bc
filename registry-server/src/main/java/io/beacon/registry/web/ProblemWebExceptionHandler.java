package io.beacon.registry.web;

import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers errors outside the API (actuator, unknown paths) with problem bodies too, before Boot's
 * own error handler, so no error reaches a client in another shape.
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
		ApiProblem problem = Problems.toProblem(ex);
		byte[] bytes = this.problems.render(problem, exchange.getRequest().getPath().value());
		response.setStatusCode(problem.getStatus());
		response.getHeaders().putAll(problem.getHeaders());
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(bytes.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

}
