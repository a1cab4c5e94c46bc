package io.beacon.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Blocking HTTP calls to loopback, for the tests' checks.
 */
final class Http {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private Http() {
	}

	static HttpResponse<String> get(int port, String path) {
		return get(port, path, null);
	}

	static HttpResponse<String> post(int port, String path, String json) {
		return post(port, path, json, null);
	}

	/** With {@code token} set, sent as {@code Authorization: Bearer <token>}. */
	static HttpResponse<String> get(int port, String path, String token) {
		return send(authorized(HttpRequest.newBuilder(uri(port, path)), token).timeout(Duration.ofSeconds(5))
			.GET()
			.build());
	}

	static HttpResponse<String> post(int port, String path, String json, String token) {
		return send(authorized(HttpRequest.newBuilder(uri(port, path)), token).timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	static HttpResponse<String> send(int port, String method, String path, String json, String token) {
		HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(uri(port, path)), token)
			.timeout(Duration.ofSeconds(10));
		if (json != null) {
			builder.header("Content-Type", "application/json");
		}
		return send(builder
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody())
			.build());
	}

	private static HttpRequest.Builder authorized(HttpRequest.Builder builder, String token) {
		return (token != null) ? builder.header("Authorization", "Bearer " + token) : builder;
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/** Whether the app answers its health endpoint with UP (false while it is not listening). */
	static boolean healthy(int port) {
		try {
			HttpResponse<String> response = send(
					HttpRequest.newBuilder(uri(port, "/actuator/health")).timeout(Duration.ofSeconds(2)).build());
			return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/** The status of an instance in the registry, or {@code null} when it is not registered. */
	static String status(int registryPort, String service, String instanceId) {
		HttpResponse<String> response = get(registryPort, "/v1/services/" + service + "/instances/" + instanceId);
		return (response.statusCode() == 200) ? json(response).get("status").stringValue() : null;
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
