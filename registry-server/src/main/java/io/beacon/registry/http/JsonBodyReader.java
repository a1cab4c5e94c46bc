package io.beacon.registry.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;


import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Reads a JSON object request body strictly: JSON media type in UTF-8, a size limit checked both
 * against {@code Content-Length} and while reading, no duplicate keys, nothing after the object.
 * <p>
 * The body is read with Jackson's streaming parser straight into the plain values {@link JsonFields}
 * checks, without a {@code JsonNode} tree in between: registration is the busiest call with a body,
 * and on a freshly started server every layer it goes through is code the JIT has yet to compile.
 */
public final class JsonBodyReader {

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	/** Objects nested deeper than this (the body is depth 1, {@code metadata} depth 2) are only type-checked. */
	private static final int MAX_READ_DEPTH = 2;

	private final JsonMapper strictMapper = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	/**
	 * One timer per event loop: a body's read timeout runs on the loop that reads the body, so
	 * arming and cancelling it per request takes no lock and wakes no other thread.
	 */
	private final Map<EventLoop, Scheduler> timers = new ConcurrentHashMap<>();

	private final int maxBytes;

	private final Duration readTimeout;

	public JsonBodyReader(int maxBytes, Duration readTimeout) {
		this.maxBytes = maxBytes;
		this.readTimeout = readTimeout;
	}

	/**
	 * The body's JSON object, its properties in the order sent (see {@link JsonFields} for the
	 * values).
	 */
	public Mono<Map<String, Object>> readObject(ApiRequest request) {
		checkContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
		String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
		if (length != null && exceedsLimit(length)) {
			return Mono.error(Problem.payloadTooLarge(this.maxBytes));
		}
		Scheduler[] timer = { Schedulers.parallel() };
		request.netty()
			.withConnection((connection) -> timer[0] = this.timers.computeIfAbsent(connection.channel().eventLoop(),
					Schedulers::fromExecutorService));
		Mono<Map<String, Object>> body = request.netty()
			.receive()
			.collect(ByteArrayOutputStream::new, this::append)
			.timeout(this.readTimeout, Mono.error(() -> new Problem(HttpStatus.REQUEST_TIMEOUT, "request-timeout",
					"Request timeout", "The request body did not arrive within " + this.readTimeout.toMillis() + " ms")),
					timer[0])
			.map((bytes) -> parse(bytes.toByteArray()));
		// An offloaded endpoint continues with the body on its worker, not on the event loop.
		return (request.worker() != null) ? body.publishOn(request.worker()) : body;
	}

	private boolean exceedsLimit(String contentLength) {
		try {
			return Long.parseLong(contentLength.trim()) > this.maxBytes;
		}
		catch (NumberFormatException ex) {
			throw Problem.badRequest("The Content-Length header is not a number");
		}
	}

	private void append(ByteArrayOutputStream out, ByteBuf chunk) {
		if (out.size() + chunk.readableBytes() > this.maxBytes) {
			throw Problem.payloadTooLarge(this.maxBytes);
		}
		byte[] bytes = new byte[chunk.readableBytes()];
		chunk.readBytes(bytes);
		out.writeBytes(bytes);
	}

	private void checkContentType(String header) {
		if (JSON.equals(header)) {
			return;
		}
		if (header == null) {
			throw Problem.unsupportedMediaType("A Content-Type of application/json is required");
		}
		MediaType contentType;
		try {
			contentType = MediaType.parseMediaType(header);
		}
		catch (InvalidMediaTypeException ex) {
			throw Problem.unsupportedMediaType(
					"Content-Type " + ClientText.quote(header) + " is not a valid media type; use application/json");
		}
		if (!MediaType.APPLICATION_JSON.equalsTypeAndSubtype(contentType)) {
			throw Problem.unsupportedMediaType(
					"Content-Type " + ClientText.quote(header) + " is not supported; use application/json");
		}
		String charset = contentType.getParameter("charset");
		if (charset != null && !StandardCharsets.UTF_8.name().equalsIgnoreCase(charset)) {
			throw Problem.unsupportedMediaType("Only the UTF-8 charset is supported, not " + ClientText.quote(charset));
		}
	}

	private Map<String, Object> parse(byte[] body) {
		if (body.length == 0) {
			throw Problem.badRequest("A JSON object body is required");
		}
		// Jackson would detect UTF-16 or UTF-32 from the first bytes and read it; application/json
		// is UTF-8 (RFC 8259), and a NUL byte cannot start UTF-8 JSON.
		if (body[0] == 0 || (body.length > 1 && body[1] == 0) || (body[0] & 0xFE) == 0xFE) {
			throw Problem.badRequest("Malformed JSON: the body must be UTF-8 (it looks like UTF-16 or UTF-32)");
		}
		try (JsonParser parser = this.strictMapper.createParser(body)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw Problem.badRequest("A JSON object body is required");
			}
			// The whole value is read before its type is judged, so that malformed JSON is
			// reported as such whatever it starts with.
			Object value = readValue(parser, first, 1);
			JsonToken trailing = parser.nextToken();
			if (trailing != null) {
				throw Problem.badRequest("Malformed JSON: trailing token (of type " + trailing
						+ ") after the JSON value" + where(parser.currentLocation()));
			}
			if (!(value instanceof Map)) {
				throw Problem.badRequest("The body must be a JSON object, not " + JsonFields.typeName(value));
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> object = (Map<String, Object>) value;
			return object;
		}
		catch (JacksonException ex) {
			throw Problem.badRequest("Malformed JSON: " + describe(ex));
		}
	}

	private static Object readValue(JsonParser parser, JsonToken token, int depth) {
		switch (token) {
			case START_OBJECT:
				if (depth > MAX_READ_DEPTH) {
					parser.skipChildren();
					return JsonFields.Kind.OBJECT;
				}
				Map<String, Object> object = new LinkedHashMap<>();
				String name;
				while ((name = parser.nextName()) != null) {
					object.put(name, readValue(parser, parser.nextToken(), depth + 1));
				}
				return object;
			case START_ARRAY:
				parser.skipChildren();
				return JsonFields.Kind.ARRAY;
			case VALUE_STRING:
				return parser.getString();
			case VALUE_NUMBER_INT:
				return switch (parser.getNumberType()) {
					case INT -> parser.getIntValue();
					case LONG -> parser.getLongValue();
					default -> parser.getBigIntegerValue();
				};
			case VALUE_NUMBER_FLOAT:
				return JsonFields.Kind.DECIMAL;
			case VALUE_TRUE:
				return Boolean.TRUE;
			case VALUE_FALSE:
				return Boolean.FALSE;
			case VALUE_NULL:
				return JsonFields.Kind.NULL;
			default:
				throw new IllegalStateException("Unexpected JSON token " + token);
		}
	}

	private static String describe(JacksonException ex) {
		String message = ex.getOriginalMessage();
		if (message == null) {
			message = "unreadable input";
		}
		int newline = message.indexOf('\n');
		String firstLine = (newline >= 0) ? message.substring(0, newline) : message;
		return ClientText.printable(firstLine, 200) + where(ex.getLocation());
	}

	private static String where(TokenStreamLocation location) {
		return (location != null && location.getLineNr() > 0)
				? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "";
	}

}
