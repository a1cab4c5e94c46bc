package io.beacon.sidecar.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * An RFC 9457 problem the proxy answers with itself, with the same types as the registry's.
 *
 * @param status the HTTP status
 * @param type the problem type's short name, as in {@code urn:beacon:problem:<type>}
 * @param title a short summary
 * @param detail what happened, for this request
 */
record Problem(int status, String type, String title, String detail) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static Problem invalidRoute(ProxyRoute.InvalidRouteException ex) {
		return (ex.status() == 404) ? new Problem(404, "not-found", "No service named", ex.getMessage())
				: new Problem(400, "invalid-request", "Invalid request", ex.getMessage());
	}

	Mono<Void> send(HttpServerResponse response, String instance) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "urn:beacon:problem:" + this.type);
		body.put("title", this.title);
		body.put("status", this.status);
		body.put("detail", this.detail);
		body.put("instance", instance);
		byte[] bytes = JSON.writeValueAsBytes(body);
		return response.status(this.status)
			.header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
			.sendByteArray(Mono.just(bytes))
			.then();
	}

}
