package io.beacon.registry.http;

import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;

/**
 * What an API endpoint answers: a complete response, an event stream, or one of those once the
 * request body has been read.
 */
public sealed interface ApiReply {

	/**
	 * A complete response.
	 *
	 * @param status the status
	 * @param contentType the body's media type, {@code null} without a body
	 * @param body the body, {@code null} for none
	 * @param headers extra headers
	 */
	record Full(HttpStatus status, String contentType, byte[] body, Map<String, String> headers) implements ApiReply {

		public static Full noContent() {
			return new Full(HttpStatus.NO_CONTENT, null, null, Map.of());
		}

	}

	/**
	 * A Server-Sent Events stream; each frame is flushed as soon as it is written.
	 *
	 * @param frames the stream's frames
	 * @param headers extra headers
	 */
	record EventStream(Flux<byte[]> frames, Map<String, String> headers) implements ApiReply {

	}

	/**
	 * A reply that depends on the request body. Endpoints without a body answer at once, so their
	 * requests go through no Reactor operators on the way to the response.
	 *
	 * @param reply the reply, or the error to answer with a problem
	 */
	record Pending(Mono<ApiReply> reply) implements ApiReply {

	}

}
