package io.beacon.registry.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small blocking client for the registry API in tests.
 */
final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
		try {
			return this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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
