package io.beacon.registry.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.beacon.registry.core.Rules;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Reads a JSON object request body strictly: JSON media type in UTF-8, a size limit checked both
 * against {@code Content-Length} and while reading, no duplicate keys, nothing after the object.
 */
final class JsonBodyReader {

	private final JsonMapper strictMapper = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final int maxBytes;

	private final Duration readTimeout;

	JsonBodyReader(int maxBytes, Duration readTimeout) {
		this.maxBytes = maxBytes;
		this.readTimeout = readTimeout;
	}

	Mono<ObjectNode> readObject(ApiRequest request) {
		checkContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
		String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
		if (length != null && exceedsLimit(length)) {
			return Mono.error(ApiProblem.payloadTooLarge(this.maxBytes));
		}
		return request.netty()
			.receive()
			.collect(ByteArrayOutputStream::new, this::append)
			.timeout(this.readTimeout, Mono.error(() -> new ApiProblem(HttpStatus.REQUEST_TIMEOUT, "request-timeout",
					"Request timeout", "The request body did not arrive within " + this.readTimeout.toMillis() + " ms")))
			.map((bytes) -> parse(bytes.toByteArray()));
	}

	private boolean exceedsLimit(String contentLength) {
		try {
			return Long.parseLong(contentLength.trim()) > this.maxBytes;
		}
		catch (NumberFormatException ex) {
			throw ApiProblem.badRequest("The Content-Length header is not a number");
		}
	}

	private void append(ByteArrayOutputStream out, ByteBuf chunk) {
		if (out.size() + chunk.readableBytes() > this.maxBytes) {
			throw ApiProblem.payloadTooLarge(this.maxBytes);
		}
		byte[] bytes = new byte[chunk.readableBytes()];
		chunk.readBytes(bytes);
		out.writeBytes(bytes);
	}

	private void checkContentType(String header) {
		if (header == null) {
			throw ApiProblem.unsupportedMediaType("A Content-Type of application/json is required");
		}
		MediaType contentType;
		try {
			contentType = MediaType.parseMediaType(header);
		}
		catch (InvalidMediaTypeException ex) {
			throw ApiProblem.unsupportedMediaType(
					"Content-Type " + Rules.quote(header) + " is not a valid media type; use application/json");
		}
		if (!MediaType.APPLICATION_JSON.equalsTypeAndSubtype(contentType)) {
			throw ApiProblem.unsupportedMediaType(
					"Content-Type " + Rules.quote(header) + " is not supported; use application/json");
		}
		String charset = contentType.getParameter("charset");
		if (charset != null && !StandardCharsets.UTF_8.name().equalsIgnoreCase(charset)) {
			throw ApiProblem.unsupportedMediaType("Only the UTF-8 charset is supported, not " + Rules.quote(charset));
		}
	}

	private ObjectNode parse(byte[] body) {
		if (body.length == 0) {
			throw ApiProblem.badRequest("A JSON object body is required");
		}
		JsonNode node;
		try {
			node = this.strictMapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiProblem.badRequest("Malformed JSON: " + describe(ex));
		}
		if (node == null || node.isMissingNode()) {
			throw ApiProblem.badRequest("A JSON object body is required");
		}
		if (!(node instanceof ObjectNode object)) {
			throw ApiProblem.badRequest("The body must be a JSON object, not " + JsonFields.typeName(node));
		}
		return object;
	}

	private static String describe(JacksonException ex) {
		String message = ex.getOriginalMessage();
		if (message == null) {
			message = "unreadable input";
		}
		int newline = message.indexOf('\n');
		String firstLine = (newline >= 0) ? message.substring(0, newline) : message;
		TokenStreamLocation location = ex.getLocation();
		String where = (location != null && location.getLineNr() > 0)
				? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "";
		return Rules.printable(firstLine, 200) + where;
	}

}
