package io.beacon.registry.http;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An error answered as an RFC 9457 problem: a status, a stable type URI, a title, a detail that
 * says exactly what was wrong, and extension members (for example the offending fields). Thrown by
 * the edge; {@link Problems} turns it, and every other failure, into the response.
 */
public class Problem extends RuntimeException {

	static final String TYPE_PREFIX = "urn:beacon:problem:";

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private final HttpHeaders headers = new HttpHeaders();

	public Problem(HttpStatus status, String type, String title, String detail) {
		super(detail);
		this.status = status;
		this.type = TYPE_PREFIX + type;
		this.title = title;
	}

	public static Problem badRequest(String detail) {
		return new Problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
	}

	public static Problem unsupportedMediaType(String detail) {
		return new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
				detail);
	}

	public static Problem notAcceptable(String detail) {
		return new Problem(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable", detail);
	}

	public static Problem payloadTooLarge(long limit) {
		return new Problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
				"The request body is larger than the limit of " + limit + " bytes")
			.with("limit", limit);
	}

	public static Problem payloadTooLarge() {
		return new Problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
				"The request body is larger than the server accepts");
	}

	public Problem with(String name, Object value) {
		this.properties.put(name, value);
		return this;
	}

	public Problem withHeader(String name, String value) {
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
