package io.beacon.registry.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An error answered as an RFC 9457 problem: a status, a stable type URI, a title, a detail that
 * says exactly what was wrong, and extension members (for example the offending fields).
 */
public class ApiProblem extends RuntimeException {

	static final String TYPE_PREFIX = "urn:beacon:problem:";

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private final HttpHeaders headers = new HttpHeaders();

	public ApiProblem(HttpStatus status, String type, String title, String detail) {
		super(detail);
		this.status = status;
		this.type = TYPE_PREFIX + type;
		this.title = title;
	}

	public static ApiProblem badRequest(String detail) {
		return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
	}

	public static ApiProblem unsupportedMediaType(String detail) {
		return new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
				detail);
	}

	public static ApiProblem notAcceptable(String detail) {
		return new ApiProblem(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable", detail);
	}

	public static ApiProblem payloadTooLarge(long limit) {
		return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
				"The request body is larger than the limit of " + limit + " bytes")
			.with("limit", limit);
	}

	public static ApiProblem payloadTooLarge() {
		return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
				"The request body is larger than the server accepts");
	}

	public ApiProblem with(String name, Object value) {
		this.properties.put(name, value);
		return this;
	}

	public ApiProblem withHeader(String name, String value) {
		this.headers.add(name, value);
		return this;
	}

	public HttpStatus getStatus() {
		return this.status;
	}

	public String getType() {
		return this.type;
	}

	public String getTitle() {
		return this.title;
	}

	public Map<String, Object> getProperties() {
		return this.properties;
	}

	public HttpHeaders getHeaders() {
		return this.headers;
	}

}
