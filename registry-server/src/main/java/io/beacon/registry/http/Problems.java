package io.beacon.registry.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceOwnedException;
import io.beacon.registry.core.StoreUnavailableException;
import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.StaleWriteException;
import io.beacon.registry.core.Violation;
import io.beacon.registry.security.AccessRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;

/**
 * The one way a failure becomes a response, for the API and for the rest of the server alike: an
 * RFC 9457 problem body. A failure that is not the client's fault is logged and answered with a
 * 500 that reveals nothing internal.
 */
public final class Problems {

	private static final Logger logger = LoggerFactory.getLogger(Problems.class);

	private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	/** How much of a field name (client text when it names a metadata key) a problem repeats. */
	private static final int MAX_FIELD_LENGTH = 80;

	private final JsonMapper jsonMapper;

	public Problems(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The response for a failure, {@code path} being the request target (its query is left out of
	 * the problem's {@code instance}).
	 */
	public ApiReply.Full reply(Throwable ex, String path) {
		Problem problem = of(ex);
		int queryStart = path.indexOf('?');
		byte[] body = render(problem, (queryStart >= 0) ? path.substring(0, queryStart) : path);
		return new ApiReply.Full(problem.getStatus(), PROBLEM_JSON, body, problem.getHeaders().toSingleValueMap());
	}

	static Problem of(Throwable ex) {
		if (ex instanceof Problem problem) {
			return problem;
		}
		if (ex instanceof InvalidInputException invalid) {
			return invalidInput(invalid.getViolations());
		}
		if (ex instanceof InstanceNotFoundException notFound) {
			return new Problem(HttpStatus.NOT_FOUND, "instance-not-found", "Instance not found", notFound.getMessage())
				.with("service", notFound.getService())
				.with("instanceId", notFound.getInstanceId());
		}
		if (ex instanceof StoreUnavailableException unavailable) {
			// Nothing is forked in memory: the client retries, here or at another replica.
			return new Problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Registry store unavailable",
					unavailable.getMessage() + "; retry, possibly at another registry replica")
				.withHeader("Retry-After", "1");
		}
		if (ex instanceof AccessRefusedException refused) {
			return AccessProblems.of(refused);
		}
		if (ex instanceof InstanceOwnedException owned) {
			return AccessProblems.of(owned);
		}
		if (ex instanceof StaleWriteException stale) {
			return new Problem(HttpStatus.CONFLICT, "stale-write", "Write older than one already applied",
					stale.getMessage())
				.with("service", stale.getService())
				.with("instanceId", stale.getInstanceId())
				.with("writeSeq", stale.getWriteSeq())
				.with("appliedSeq", stale.getAppliedSeq());
		}
		if (ex instanceof MethodNotAllowedException notAllowed) {
			return methodNotAllowed(notAllowed.getHttpMethod(), notAllowed.getSupportedMethods());
		}
		if (ex instanceof ResponseStatusException statusException) {
			return fromStatus(statusException.getStatusCode(), statusException.getReason());
		}
		logger.error("Unexpected error", ex);
		return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The registry failed to handle this request; nothing was changed by it");
	}

	/**
	 * A 400 listing every broken rule, each with the value that broke it quoted safely: the core
	 * says what was wrong, the edge decides how client text is shown.
	 */
	private static Problem invalidInput(List<Violation> violations) {
		List<Map<String, String>> errors = new ArrayList<>(violations.size());
		StringBuilder detail = new StringBuilder();
		for (Violation violation : violations) {
			String field = ClientText.printable(violation.field(), MAX_FIELD_LENGTH);
			String message = (violation.rejected() != null)
					? violation.message() + " (got " + ClientText.quote(violation.rejected()) + ")" : violation.message();
			Map<String, String> error = new LinkedHashMap<>();
			error.put("field", field);
			error.put("message", message);
			errors.add(error);
			detail.append(detail.isEmpty() ? "" : "; ").append(field).append(": ").append(message);
		}
		return Problem.badRequest(detail.toString()).with("errors", errors);
	}

	static Problem methodNotAllowed(String method, Set<HttpMethod> allowed) {
		StringBuilder allow = new StringBuilder();
		for (HttpMethod each : allowed) {
			allow.append(allow.isEmpty() ? "" : ", ").append(each.name());
		}
		return new Problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
				"Method " + ClientText.quote(method) + " is not allowed here; allowed: " + allow)
			.withHeader("Allow", allow.toString());
	}

	static Problem notFound() {
		return new Problem(HttpStatus.NOT_FOUND, "not-found", "Not found",
				"Nothing at this path; the API is under /v1/services and /v1/watch");
	}

	private static Problem fromStatus(HttpStatusCode code, String reason) {
		HttpStatus status = HttpStatus.resolve(code.value());
		if (status == null) {
			status = code.is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
		}
		String detail = (reason != null) ? reason : status.getReasonPhrase();
		return switch (status) {
			case NOT_FOUND -> notFound();
			case UNSUPPORTED_MEDIA_TYPE -> Problem.unsupportedMediaType(detail);
			case NOT_ACCEPTABLE -> Problem.notAcceptable(detail);
			case CONTENT_TOO_LARGE -> Problem.payloadTooLarge();
			default -> new Problem(status, status.is4xxClientError() ? "invalid-request" : "internal-error",
					status.getReasonPhrase(), detail);
		};
	}

	private byte[] render(Problem problem, String path) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus().value());
		body.put("detail", problem.getMessage());
		body.put("instance", ClientText.printable(path, 300));
		body.putAll(problem.getProperties());
		return this.jsonMapper.writeValueAsBytes(body);
	}

}
