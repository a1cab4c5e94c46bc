package io.beacon.registry.http;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Builds JSON replies.
 */
public final class JsonReplies {

	public static final ApiReply NO_CONTENT = ApiReply.Full.noContent();

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private final JsonMapper jsonMapper;

	public JsonReplies(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	public ApiReply json(HttpStatus status, Object body) {
		return json(status, body, Map.of());
	}

	public ApiReply json(HttpStatus status, Object body, Map<String, String> headers) {
		return new ApiReply.Full(status, JSON, this.jsonMapper.writeValueAsBytes(body), headers);
	}

}
