package io.beacon.registry.http;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Serves the REST API v1 straight on Reactor Netty: finds the request's {@link Route}, runs its
 * handler, and writes its reply or its problem. Every response carries the {@link IndexHeader};
 * every request is timed.
 * <p>
 * The API does not go through Spring WebFlux: measured side by side, a WebFlux functional endpoint
 * doing the same heartbeat took about 1.6 times the CPU per request of this dispatcher, which is
 * within 20 % of a bare Reactor Netty server answering 204; the heartbeat rate is what a registry
 * is sized by (BENCHMARKS.md, "Raw Reactor Netty vs WebFlux").
 */
public final class ApiDispatcher implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private final CompiledRoute[] routes;

	private final Problems problems;

	private final IndexHeader indexHeader;

	private final ApiMetrics metrics;

	/**
	 * @param routes the route table; a request's method and path pick the first route that fits
	 */
	public ApiDispatcher(List<Route> routes, Problems problems, IndexHeader indexHeader, MeterRegistry meters) {
		this.routes = new CompiledRoute[routes.size()];
		for (int i = 0; i < this.routes.length; i++) {
			this.routes[i] = new CompiledRoute(i, routes.get(i));
		}
		this.problems = problems;
		this.indexHeader = indexHeader;
		this.metrics = new ApiMetrics(meters, routes);
	}

	/** Whether a request is for the API (anything under {@code /v1}). */
	public static boolean handles(HttpServerRequest request) {
		String uri = request.uri();
		return uri.startsWith("/v1/") || uri.equals("/v1") || uri.startsWith("/v1?");
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		long start = System.nanoTime();
		int endpoint = ApiMetrics.UNMATCHED;
		ApiReply reply;
		try {
			ApiRequest apiRequest = ApiRequest.of(request);
			CompiledRoute route = route(apiRequest);
			endpoint = route.position;
			apiRequest.matched(route.variables);
			reply = route.route.handler().apply(apiRequest);
		}
		catch (RuntimeException ex) {
			reply = this.problems.reply(ex, request.uri());
		}
		if (reply instanceof ApiReply.Pending pending) {
			int matched = endpoint;
			return pending.reply()
				.onErrorResume((ex) -> Mono.just(this.problems.reply(ex, request.uri())))
				.flatMap((answer) -> Mono.from(write(answer, response, matched, start)));
		}
		return write(reply, response, endpoint, start);
	}

	private CompiledRoute route(ApiRequest request) {
		String[] segments = request.segments();
		String method = request.method();
		boolean pathMatched = false;
		for (CompiledRoute route : this.routes) {
			if (route.matches(segments)) {
				if (route.route.method().equals(method)) {
					return route;
				}
				pathMatched = true;
			}
		}
		if (!pathMatched) {
			throw Problems.notFound();
		}
		Set<HttpMethod> allowed = new LinkedHashSet<>();
		for (CompiledRoute route : this.routes) {
			if (route.matches(segments)) {
				allowed.add(HttpMethod.valueOf(route.route.method()));
			}
		}
		throw Problems.methodNotAllowed(method, allowed);
	}

	private Publisher<Void> write(ApiReply reply, HttpServerResponse response, int endpoint, long start) {
		response.header(IndexHeader.NAME, this.indexHeader.value());
		if (reply instanceof ApiReply.EventStream stream) {
			response.status(HttpResponseStatus.OK);
			this.metrics.record(endpoint, HttpResponseStatus.OK.code(), System.nanoTime() - start);
			stream.headers().forEach(response::header);
			response.header(HttpHeaderNames.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE)
				.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
			return response.send(stream.frames().map(Unpooled::wrappedBuffer), (buffer) -> true);
		}
		ApiReply.Full full = (ApiReply.Full) reply;
		int status = full.status().value();
		response.status(HttpResponseStatus.valueOf(status));
		this.metrics.record(endpoint, status, System.nanoTime() - start);
		full.headers().forEach(response::header);
		if (full.body() == null) {
			return response.send();
		}
		response.header(HttpHeaderNames.CONTENT_TYPE, full.contentType());
		response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(full.body().length));
		// A single buffer goes out with the headers as one full response.
		return response.sendObject(Unpooled.wrappedBuffer(full.body()));
	}

	/**
	 * A route with its pattern split once, so matching a request compares segments and allocates
	 * nothing.
	 */
	private static final class CompiledRoute {

		private final int position;

		private final Route route;

		private final String[] literals;

		private final Map<String, Integer> variables;

		CompiledRoute(int position, Route route) {
			this.position = position;
			this.route = route;
			this.literals = route.literals();
			this.variables = route.variables();
		}

		boolean matches(String[] segments) {
			if (segments.length != this.literals.length) {
				return false;
			}
			for (int i = 0; i < segments.length; i++) {
				if (this.literals[i] != null && !this.literals[i].equals(segments[i])) {
					return false;
				}
			}
			return true;
		}

	}

}
