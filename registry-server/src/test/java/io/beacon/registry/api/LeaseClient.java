package io.beacon.registry.api;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance's lease stream, opened with Reactor Netty on a connection of its own, so that
 * {@link #closeSocket()} closes the socket as a dying process would.
 */
final class LeaseClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();

	final AtomicBoolean completed = new AtomicBoolean();

	volatile int status;

	volatile String contentType;

	private final Disposable connection;

	LeaseClient(int port, String service, String id) {
		this.connection = HttpClient.newConnection()
			.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
			.get()
			.uri("http://127.0.0.1:" + port + "/v1/services/" + service + "/instances/" + id + "/lease")
			.response((response, body) -> {
				this.status = response.status().code();
				this.contentType = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
				return body.asString();
			})
			.subscribe(this.chunks::add, (ex) -> {
			}, () -> this.completed.set(true));
	}

	/** The data of the first event, which must be {@code bound}. */
	JsonNode bound() throws InterruptedException {
		StringBuilder text = new StringBuilder();
		while (!text.toString().contains("\n\n")) {
			String chunk = this.chunks.poll(10, TimeUnit.SECONDS);
			assertThat(chunk).as("the bound event within 10 s").isNotNull();
			text.append(chunk);
		}
		String event = text.substring(0, text.indexOf("\n\n"));
		assertThat(event).startsWith("event: bound\ndata: ");
		return JSON.readTree(event.substring(event.indexOf("data: ") + 6));
	}

	void closeSocket() {
		this.connection.dispose();
	}

}
