package io.beacon.registry.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small blocking client for the registry API in tests.
 */
final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** HTTP/1.1, as the registry serves it: no h2c upgrade attempt on each new connection. */
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	private final String token;

	ApiClient(int port) {
		this(port, null);
	}

	/** A client that sends {@code Authorization: Bearer <token>} on every request. */
	ApiClient(int port, String token) {
		this.base = "http://127.0.0.1:" + port;
		this.token = token;
	}

	HttpResponse<String> send(String method, String path, String contentType, String body) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		if (this.token != null) {
			builder.header("Authorization", "Bearer " + this.token);
		}
		HttpRequest request = builder.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpTimeoutException ex) {
			throw new UncheckedIOException(timedOut(request, ex));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A request that got no answer in time: says whether the registry answers the same request on a
	 * new connection, and prints every thread of this JVM (the server runs in it), so that a hang can
	 * be told from a lost connection in the test's output.
	 */
	private static HttpTimeoutException timedOut(HttpRequest request, HttpTimeoutException ex) {
		String retry;
		try {
			HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			retry = "answered " + fresh.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException | RuntimeException again) {
			retry = "failed too: " + again;
		}
		catch (InterruptedException again) {
			Thread.currentThread().interrupt();
			retry = "interrupted";
		}
		StringBuilder dump = new StringBuilder();
		Thread.getAllStackTraces().forEach((thread, stack) -> {
			dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
			for (StackTraceElement frame : stack) {
				dump.append("\tat ").append(frame).append('\n');
			}
		});
		System.err.println("[api-client] " + request.method() + " " + request.uri() + " timed out; the same request on a"
				+ " new connection " + retry + "; threads:\n" + dump);
		HttpTimeoutException described = new HttpTimeoutException(
				request.method() + " " + request.uri() + " timed out (on a new connection it " + retry + ")");
		described.initCause(ex);
		return described;
	}

	HttpResponse<String> get(String path) {
		return send("GET", path, null, null);
	}

	HttpResponse<String> postJson(String path, String body) {
		return send("POST", path, "application/json", body);
	}

	HttpResponse<String> putJson(String path, String body) {
		return send("PUT", path, "application/json", body);
	}

	HttpResponse<String> register(String service, String id, int port) {
		return postJson("/v1/services/" + service + "/instances",
				"{\"instanceId\":\"" + id + "\",\"host\":\"127.0.0.1\",\"port\":" + port + "}");
	}

	HttpResponse<String> heartbeat(String service, String id) {
		return send("PUT", "/v1/services/" + service + "/instances/" + id + "/heartbeat", null, null);
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	static long index(HttpResponse<?> response) {
		return Long.parseLong(response.headers().firstValue("Beacon-Index").orElseThrow());
	}

}
