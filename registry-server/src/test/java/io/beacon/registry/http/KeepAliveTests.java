package io.beacon.registry.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests one after the other on one kept-alive connection, switching between the API and the
 * actuator, are all answered. With Reactor Netty 1.3.6 (Boot 4.0.7's) about 1 in 100 got no
 * answer at all: a request that arrived before the previous one's operations had ended was queued,
 * answered, and the connection then stopped reading (reactor/reactor-netty#4361). Every client that
 * reuses connections (the starter's heartbeats, Prometheus scrapes) would have hit it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeepAliveTests {

	private static final String[] PATHS = { "/actuator/health", "/actuator/info", "/v1/services",
			"/actuator/health/liveness", "/v1/registry" };

	private static final int REQUESTS = 2_000;

	@LocalServerPort
	int port;

	@Test
	void everyRequestOnAKeptAliveConnectionIsAnswered() throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		for (int i = 0; i < REQUESTS; i++) {
			String path = PATHS[i % PATHS.length];
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.timeout(Duration.ofSeconds(5))
				.build();
			HttpResponse<Void> response;
			try {
				response = http.send(request, HttpResponse.BodyHandlers.discarding());
			}
			catch (HttpTimeoutException ex) {
				throw new AssertionError("request " + i + " (" + path + ") got no answer within 5 s", ex);
			}
			assertThat(response.statusCode()).as("request %d, %s", i, path).isEqualTo(200);
		}
	}

}
