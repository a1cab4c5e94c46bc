package io.beacon.registry.web;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.beacon.registry.core.Registry;
import io.beacon.registry.security.ApiGuard;
import io.beacon.registry.security.Operation;
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
 * Serves the REST API v1 straight on Reactor Netty: routes a request by its path segments, runs the
 * endpoint, and writes its reply or its problem. Every response carries {@code Beacon-Index}; every
 * request is timed.
 * <p>
 * The API does not go through Spring WebFlux: on one core, WebFlux's per-request machinery cost
 * about three times what the registry itself does for a heartbeat (see BENCHMARKS.md), and the
 * heartbeat rate is what a registry is sized by.
 */
final class ApiDispatcher implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	static final String INDEX_HEADER = "Beacon-Index";

	private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	private final Registry registry;

	private final Map<Endpoint, Function<ApiRequest, ApiReply>> handlers;

	private final Problems problems;

	private final ApiMetrics metrics;

	private final ApiGuard guard;

	ApiDispatcher(Registry registry, InstanceEndpoints instances, ServiceEndpoints services, WatchEndpoint watch,
			WhoAmIEndpoint whoAmI, Problems problems, ApiMetrics metrics, ApiGuard guard) {
		this.registry = registry;
		this.guard = guard;
		this.problems = problems;
		this.metrics = metrics;
		this.handlers = Map.of(Endpoint.HEARTBEAT, instances::heartbeat, Endpoint.REGISTER, instances::register,
				Endpoint.STATUS, instances::updateStatus, Endpoint.GET_INSTANCE, instances::get, Endpoint.DEREGISTER,
				instances::deregister, Endpoint.GET_SERVICE, services::get, Endpoint.LIST_SERVICES, services::list,
				Endpoint.WATCH, watch::watch, Endpoint.WHOAMI, whoAmI::whoAmI);
	}

	/** Whether a request is for the API (anything under {@code /v1}). */
	static boolean isApiRequest(HttpServerRequest request) {
		String uri = request.uri();
		return uri.startsWith("/v1/") || uri.equals("/v1") || uri.startsWith("/v1?");
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		long start = System.nanoTime();
		Endpoint endpoint = Endpoint.UNMATCHED;
		ApiReply reply;
		try {
			ApiRequest apiRequest = ApiRequest.of(request);
			endpoint = route(apiRequest);
			apiRequest.caller(this.guard.admit(endpoint.operation, apiRequest));
			reply = this.handlers.get(endpoint).apply(apiRequest);
		}
		catch (RuntimeException ex) {
			reply = problemReply(ex, request.uri());
		}
		if (reply instanceof ApiReply.Pending pending) {
			Endpoint matched = endpoint;
			return pending.reply()
				.onErrorResume((ex) -> Mono.just(problemReply(ex, request.uri())))
				.flatMap((answer) -> Mono.from(write(answer, response, matched, start)));
		}
		return write(reply, response, endpoint, start);
	}

	private Endpoint route(ApiRequest request) {
		String[] s = request.segments();
		Set<Endpoint> candidates = EnumSet.noneOf(Endpoint.class);
		if (s.length >= 2 && "v1".equals(s[0])) {
			if (s.length == 2 && "watch".equals(s[1])) {
				candidates.add(Endpoint.WATCH);
			}
			else if (s.length == 2 && "whoami".equals(s[1])) {
				candidates.add(Endpoint.WHOAMI);
			}
			else if ("services".equals(s[1])) {
				switch (s.length) {
					case 2 -> candidates.add(Endpoint.LIST_SERVICES);
					case 3 -> candidates.add(Endpoint.GET_SERVICE);
					case 4 -> {
						if ("instances".equals(s[3])) {
							candidates.add(Endpoint.REGISTER);
						}
					}
					case 5 -> {
						if ("instances".equals(s[3])) {
							candidates.add(Endpoint.GET_INSTANCE);
							candidates.add(Endpoint.DEREGISTER);
						}
					}
					case 6 -> {
						if ("instances".equals(s[3]) && "heartbeat".equals(s[5])) {
							candidates.add(Endpoint.HEARTBEAT);
						}
						else if ("instances".equals(s[3]) && "status".equals(s[5])) {
							candidates.add(Endpoint.STATUS);
						}
					}
					default -> {
					}
				}
			}
		}
		if (candidates.isEmpty()) {
			throw Problems.notFound();
		}
		String method = request.method();
		for (Endpoint candidate : candidates) {
			if (candidate.method.equals(method)) {
				return candidate;
			}
		}
		Set<HttpMethod> allowed = new java.util.LinkedHashSet<>();
		for (Endpoint candidate : candidates) {
			allowed.add(HttpMethod.valueOf(candidate.method));
		}
		throw Problems.methodNotAllowed(method, allowed);
	}

	private ApiReply problemReply(Throwable ex, String path) {
		ApiProblem problem = Problems.toProblem(ex);
		int queryStart = path.indexOf('?');
		byte[] body = this.problems.render(problem, (queryStart >= 0) ? path.substring(0, queryStart) : path);
		Map<String, String> headers = problem.getHeaders().toSingleValueMap();
		return new ApiReply.Full(problem.getStatus(), PROBLEM_JSON, body, headers);
	}

	private Publisher<Void> write(ApiReply reply, HttpServerResponse response, Endpoint endpoint, long start) {
		response.header(INDEX_HEADER, Long.toString(this.registry.index()));
		if (reply instanceof ApiReply.EventStream stream) {
			response.status(HttpResponseStatus.OK);
			this.metrics.record(endpoint, HttpResponseStatus.OK.code(), System.nanoTime() - start);
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
	 * The endpoints of the API, with the method each takes and what it does (which decides the role
	 * it needs).
	 */
	enum Endpoint {

		HEARTBEAT("PUT", Operation.WRITE), REGISTER("POST", Operation.WRITE), STATUS("PUT", Operation.WRITE),
		GET_INSTANCE("GET", Operation.READ), DEREGISTER("DELETE", Operation.WRITE),
		GET_SERVICE("GET", Operation.READ), LIST_SERVICES("GET", Operation.READ), WATCH("GET", Operation.READ),
		WHOAMI("GET", Operation.IDENTIFY), UNMATCHED("*", Operation.ADMIN);

		private final String method;

		private final Operation operation;

		Endpoint(String method, Operation operation) {
			this.method = method;
			this.operation = operation;
		}

		String method() {
			return this.method;
		}

		String tagValue() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

}
