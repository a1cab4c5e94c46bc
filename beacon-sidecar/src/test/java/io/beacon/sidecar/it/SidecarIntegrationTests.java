package io.beacon.sidecar.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.client.registration.Registrar;
import io.beacon.registry.RegistryServerApplication;
import io.beacon.sidecar.SidecarApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sidecar application against a real registry on loopback, standing for a small app (a Reactor
 * Netty server whose health the test switches): what the registry sees through the app's life,
 * and the app calling itself by name through the proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SidecarIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final AtomicInteger appHealth = new AtomicInteger(503);

	private ConfigurableApplicationContext registry;

	private DisposableServer app;

	private ConfigurableApplicationContext sidecar;

	private int registryPort;

	private int proxyPort;

	@BeforeAll
	void start() throws IOException {
		this.registry = new SpringApplicationBuilder(RegistryServerApplication.class, OwnNettyResources.class)
			.web(WebApplicationType.REACTIVE)
			.run("--server.port=0", "--server.address=127.0.0.1", "--beacon.client.enabled=false",
					"--beacon.registry.lease-check-interval=50ms", "--spring.main.banner-mode=off",
					"--server.shutdown=immediate", "--spring.application.name=beacon-registry");
		this.registryPort = ((WebServerApplicationContext) this.registry).getWebServer().getPort();
		this.app = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/health", (request, response) -> response.status(this.appHealth.get()).sendString(Mono.just("health")))
				.get("/hello", (request, response) -> response.sendString(Mono.just("hello, "
						+ request.requestHeaders().get("X-Forwarded-Prefix")), StandardCharsets.UTF_8)))
			.bindNow();
		this.proxyPort = freePort();
		this.sidecar = new SpringApplicationBuilder(SidecarApplication.class).web(WebApplicationType.NONE)
			.run("--spring.main.banner-mode=off", "--spring.application.name=beacon-sidecar",
					"--beacon.sidecar.service-name=Greeter",
					"--beacon.sidecar.app-port=" + this.app.port(),
					"--beacon.sidecar.health-url=http://127.0.0.1:" + this.app.port() + "/health",
					"--beacon.sidecar.probe-interval=100ms", "--beacon.sidecar.probe-timeout=500ms",
					"--beacon.sidecar.proxy-port=" + this.proxyPort, "--beacon.sidecar.drain-delay=1s",
					"--beacon.sidecar.metadata.language=python",
					"--beacon.client.registry-url=http://127.0.0.1:" + this.registryPort,
					"--beacon.client.lease-ttl=3s", "--beacon.client.port=" + this.app.port());
	}

	@AfterAll
	void stop() {
		if (this.sidecar != null) {
			this.sidecar.close();
		}
		this.app.disposeNow();
		this.registry.close();
	}

	@Test
	@Order(1)
	void appIsRegisteredAsStartingUntilItsFirstHealthyProbeThenUp() {
		await().atMost(DEADLINE).until(() -> "STARTING".equals(status()));
		JsonNode instance = instance();
		assertThat(instance.get("host").stringValue()).isEqualTo("127.0.0.1");
		assertThat(instance.get("port").intValue()).isEqualTo(this.app.port());
		assertThat(instance.get("leaseTtlSeconds").intValue()).isEqualTo(3);
		assertThat(instance.at("/metadata/language").stringValue()).isEqualTo("python");
		// the sidecar registers the app, never itself, even with beacon.client.port set
		assertThat(get("/v1/services/beacon-sidecar?status=ALL").get("instances")).isEmpty();
		assertThat(this.sidecar.containsBean("beaconRegistrationLifecycle")).isFalse();

		this.appHealth.set(200);
		await().atMost(DEADLINE).until(() -> "UP".equals(status()));
		// the sidecar holds the app's lease stream: its death would mark the app DOWN at once
		await().atMost(DEADLINE).until(() -> this.sidecar.getBean(Registrar.class).holdsLeaseStream());
	}

	@Test
	@Order(2)
	void unhealthyAppIsReportedDownAndUpAgainWhenItRecovers() {
		await().atMost(DEADLINE).until(() -> "UP".equals(status()));
		this.appHealth.set(500);
		await().atMost(DEADLINE).until(() -> "DOWN".equals(status()));
		this.appHealth.set(204);
		await().atMost(DEADLINE).until(() -> "UP".equals(status()));
	}

	@Test
	@Order(3)
	void appCallsServicesByNameThroughTheProxy() throws Exception {
		await().atMost(DEADLINE).until(() -> "UP".equals(status()));
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.proxyPort + "/greeter/hello")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello, /greeter");
	}

	@Test
	@Order(4)
	void stopReportsDrainingThenDeregisters() {
		await().atMost(DEADLINE).until(() -> "UP".equals(status()));
		List<String> seen = new CopyOnWriteArrayList<>();
		ConfigurableApplicationContext closing = this.sidecar;
		this.sidecar = null;
		CompletableFuture<Void> closed = CompletableFuture.runAsync(closing::close);
		await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
			String status = status();
			if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(String.valueOf(status))) {
				seen.add(String.valueOf(status));
			}
			return status == null;
		});
		closed.join();
		assertThat(seen).containsSubsequence("DRAINING", "null").doesNotContain("DOWN", "STARTING");
	}

	private String status() {
		JsonNode instance = instance();
		return (instance != null) ? instance.get("status").stringValue() : null;
	}

	private JsonNode instance() {
		for (JsonNode instance : get("/v1/services/greeter?status=ALL").get("instances")) {
			if (instance.get("port").intValue() == this.app.port()) {
				return instance;
			}
		}
		return null;
	}

	private JsonNode get(String path) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.registryPort + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The registry's own event loops: closing the sidecar's context disposes the global ones, as it
	 * should in its own JVM, and the registry must outlive it here.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OwnNettyResources {

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			factory.setShutdownQuietPeriod(Duration.ZERO);
			return factory;
		}

	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
