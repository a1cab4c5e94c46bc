package io.beacon.registry.web;

import java.util.Map;

import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;

/**
 * What an API endpoint answers: a complete response, or an event stream.
 */
sealed interface ApiReply {

	HttpStatus status();

	/**
	 * A complete response.
	 *
	 * @param status the status
	 * @param contentType the body's media type, {@code null} without a body
	 * @param body the body, {@code null} for none
	 * @param headers extra headers
	 */
	record Full(HttpStatus status, String contentType, byte[] body, Map<String, String> headers) implements ApiReply {

		static Full noContent() {
			return new Full(HttpStatus.NO_CONTENT, null, null, Map.of());
		}

	}

	/**
	 * A Server-Sent Events stream; each frame is flushed as soon as it is written.
	 */
	record EventStream(Flux<byte[]> frames) implements ApiReply {

		@Override
		public HttpStatus status() {
			return HttpStatus.OK;
		}

	}

}
