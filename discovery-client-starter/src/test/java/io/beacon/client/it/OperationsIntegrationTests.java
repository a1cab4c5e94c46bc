package io.beacon.client.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationState;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Operating an instance: the actuator endpoint and health, failover between registries, and starting
 * without a registry.
 */
class OperationsIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	RegistryServer registry;

	ConfigurableApplicationContext app;

	@AfterEach
	void stopAll() {
		if (this.app != null) {
			this.app.close();
		}
		if (this.registry != null) {
			this.registry.close();
		}
	}

	@Test
	void endpointDrainsByHandAndUndoesItAndShowsTheCache() throws Exception {
		this.registry = RegistryServer.start();
		this.app = BackendApp.start(this.registry, "manual");
		int port = BackendApp.port(this.app);
		String id = "127.0.0.1:" + port;
		await().atMost(Duration.ofSeconds(10)).until(() -> status("manual", id) == InstanceStatus.UP);

		HttpResponse<String> drained = post(port, "/actuator/beacon", "{\"status\":\"DRAINING\"}");
		assertThat(drained.statusCode()).isEqualTo(200);
		assertThat(drained.body()).contains("\"accepted\":true").contains("\"status\":\"DRAINING\"");
		assertThat(status("manual", id)).isEqualTo(InstanceStatus.DRAINING);

		HttpResponse<String> undone = post(port, "/actuator/beacon", "{\"status\":\"UP\"}");
		assertThat(undone.statusCode()).isEqualTo(200);
		assertThat(status("manual", id)).isEqualTo(InstanceStatus.UP);

		assertThat(post(port, "/actuator/beacon", "{\"status\":\"DOWN\"}").statusCode()).isEqualTo(400);

		HttpResponse<String> view = get(port, "/actuator/beacon");
		assertThat(view.body()).contains("\"state\":\"REGISTERED\"").contains("\"instanceId\":\"" + id + "\"");
		HttpResponse<String> health = get(port, "/actuator/health");
		assertThat(health.body()).contains("\"beacon\"").contains("\"registryReachable\":true");
	}

	@Test
	void appStartsWithoutARegistryAndRegistersOnceOneAppears() throws IOException {
		int registryPort = freePort();
		this.app = BackendApp.start(RegistryServerAddress.of(registryPort), "patient");
		Registrar registrar = this.app.getBean(Registrar.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> !registrar.snapshot().registryReachable());
		assertThat(registrar.snapshot().state()).isEqualTo(RegistrationState.REGISTERING);
		String health = get(BackendApp.port(this.app), "/actuator/health").body();
		assertThat(health).contains("\"status\":\"UP\"").contains("\"registryReachable\":false");

		this.registry = RegistryServer.start(registryPort);
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		// backoff is capped at the heartbeat interval (1 s for a 3 s lease)
		await().atMost(Duration.ofSeconds(5)).until(() -> status("patient", id) == InstanceStatus.UP);
	}

	@Test
	void failFastStopsStartupWhenNoRegistryAnswers() throws IOException {
		int nobody = freePort();
		assertThatException()
			.isThrownBy(() -> BackendApp.start(RegistryServerAddress.of(nobody), "strict", "beacon.client.fail-fast=true",
					"beacon.client.request-timeout=500ms"))
			.withStackTraceContaining("beacon.client.fail-fast is true");
	}

	@Test
	void registrationFailsOverToTheNextRegistryUrl() throws IOException {
		this.registry = RegistryServer.start();
		int nobody = freePort();
		this.app = BackendApp.start(this.registry, "failover",
				"beacon.client.registry-url=http://127.0.0.1:" + nobody + "," + this.registry.url());
		String id = "127.0.0.1:" + BackendApp.port(this.app);
		await().atMost(Duration.ofSeconds(10)).until(() -> status("failover", id) == InstanceStatus.UP);
		assertThat(this.app.getBean(Registrar.class).snapshot().registryUrl()).isEqualTo(this.registry.url());
	}

	@Test
	void failFastStartsWhenTheFirstRegistriesHangAndTheLastAnswers() throws IOException {
		this.registry = RegistryServer.start();
		// the kernel accepts connections into the backlog; nothing ever reads or answers them
		try (ServerSocket hung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
				ServerSocket alsoHung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			this.app = BackendApp.start(this.registry, "hung-first", "beacon.client.fail-fast=true",
					"beacon.client.request-timeout=500ms", "beacon.client.registry-url=http://127.0.0.1:"
							+ hung.getLocalPort() + ",http://127.0.0.1:" + alsoHung.getLocalPort() + ","
							+ this.registry.url());
			String id = "127.0.0.1:" + BackendApp.port(this.app);
			assertThat(this.app.getBean(Registrar.class).snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
			assertThat(this.registry.registry().instance("hung-first", id)).isPresent();
		}
	}

	private InstanceStatus status(String service, String id) {
		return this.registry.registry().instance(service, id).map(Instance::status).orElse(null);
	}

	private HttpResponse<String> get(int port, String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
	}

	private HttpResponse<String> post(int port, String path, String json) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
