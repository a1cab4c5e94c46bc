package io.beacon.registry.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceOwnedException;
import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Rules;
import io.beacon.registry.security.AccessRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;

/**
 * Turns any failure into an RFC 9457 problem body, the same way for the API and for the rest of
 * the server. A failure that is not the client's fault is logged and answered with a 500 that
 * reveals nothing internal.
 */
final class Problems {

	private static final Logger logger = LoggerFactory.getLogger(Problems.class);

	private final JsonMapper jsonMapper;

	Problems(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	static ApiProblem toProblem(Throwable ex) {
		if (ex instanceof ApiProblem problem) {
			return problem;
		}
		if (ex instanceof InvalidInputException invalid) {
			return ApiProblem.badRequest(invalid.getMessage()).with("errors", invalid.getViolations());
		}
		if (ex instanceof InstanceNotFoundException notFound) {
			return new ApiProblem(HttpStatus.NOT_FOUND, "instance-not-found", "Instance not found",
					notFound.getMessage())
				.with("service", notFound.getService())
				.with("instanceId", notFound.getInstanceId());
		}
		if (ex instanceof AccessRefusedException refused) {
			return AccessProblems.of(refused);
		}
		if (ex instanceof InstanceOwnedException owned) {
			return AccessProblems.of(owned);
		}
		if (ex instanceof MethodNotAllowedException notAllowed) {
			return methodNotAllowed(notAllowed.getHttpMethod(), notAllowed.getSupportedMethods());
		}
		if (ex instanceof ResponseStatusException statusException) {
			return fromStatus(statusException.getStatusCode(), statusException.getReason());
		}
		logger.error("Unexpected error", ex);
		return new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The registry failed to handle this request; nothing was changed by it");
	}

	static ApiProblem methodNotAllowed(String method, Set<HttpMethod> allowed) {
		StringBuilder allow = new StringBuilder();
		for (HttpMethod each : allowed) {
			allow.append(allow.isEmpty() ? "" : ", ").append(each.name());
		}
		return new ApiProblem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
				"Method " + Rules.quote(method) + " is not allowed here; allowed: " + allow)
			.withHeader("Allow", allow.toString());
	}

	static ApiProblem notFound() {
		return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found",
				"Nothing at this path; the API is under /v1/services and /v1/watch");
	}

	private static ApiProblem fromStatus(HttpStatusCode code, String reason) {
		HttpStatus status = HttpStatus.resolve(code.value());
		if (status == null) {
			status = code.is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
		}
		String detail = (reason != null) ? reason : status.getReasonPhrase();
		return switch (status) {
			case NOT_FOUND -> notFound();
			case UNSUPPORTED_MEDIA_TYPE -> ApiProblem.unsupportedMediaType(detail);
			case NOT_ACCEPTABLE -> ApiProblem.notAcceptable(detail);
			case CONTENT_TOO_LARGE -> ApiProblem.payloadTooLarge();
			default -> new ApiProblem(status, status.is4xxClientError() ? "invalid-request" : "internal-error",
					status.getReasonPhrase(), detail);
		};
	}

	/** The problem as JSON, {@code instance} being the request path. */
	byte[] render(ApiProblem problem, String path) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus().value());
		body.put("detail", problem.getMessage());
		body.put("instance", Rules.printable(path, 300));
		body.putAll(problem.getProperties());
		return this.jsonMapper.writeValueAsBytes(body);
	}

}
