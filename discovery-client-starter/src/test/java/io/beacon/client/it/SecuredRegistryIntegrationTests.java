package io.beacon.client.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.beacon.client.ServiceInstance;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationState;
import io.beacon.client.registry.BeaconCredentials;
import io.beacon.client.registry.RegistryAccessDeniedException;
import io.beacon.registry.core.Instance;
import io.beacon.registry.security.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The starter against a real registry serving HTTPS with a self-signed certificate made here, with
 * security on: tokens on every call and on the watch stream, refusals named, fail-fast, rotation.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecuredRegistryIntegrationTests {

	private static final String GREETER = "greeter-Tok3n";

	private static final String ROTATED = "greeter-r0tated-Tok3n";

	private static final String READER = "reader-Tok3n";

	private static final String PASSWORD = "test-only";

	@TempDir
	static Path dir;

	static Path keyStore;

	static Path certificate;

	RegistryServer registry;

	final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@BeforeAll
	static void makeSelfSignedCertificate() throws Exception {
		keyStore = dir.resolve("registry.p12");
		certificate = dir.resolve("registry.crt");
		keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
				"-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
				"-file", certificate.toString());
	}

	private static void keytool(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

	@AfterEach
	void stopAll() {
		this.apps.forEach(ConfigurableApplicationContext::close);
		if (this.registry != null) {
			this.registry.close();
		}
	}

	@Test
	void anAppRegistersHeartbeatsAndWatchesOverHttpsWithItsToken() {
		this.registry = startRegistry(0, GREETER);
		ConfigurableApplicationContext app = app("greeter", "beacon.client.token=" + GREETER);
		String id = "127.0.0.1:" + BackendApp.port(app);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.registry.registry().instance("greeter", id))
				.hasValueSatisfying((instance) -> assertThat(instance.status().name()).isEqualTo("UP")));
		assertThat(instance("greeter", id).owner()).isEqualTo("greeter");
		long heartbeats = this.registry.registry().stats().heartbeats();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.registry().stats().heartbeats() > heartbeats);
		// the same app reads the registry (its token has read): fetch, then the watch stream pushes a change
		BeaconDiscoveryClient discovery = app.getBean(BeaconDiscoveryClient.class);
		assertThat(discovery.getInstances("greeter")).extracting(ServiceInstance::instanceId).containsExactly(id);
		this.registry.registry()
			.register(io.beacon.registry.core.InstanceRegistration.builder()
				.service("greeter")
				.instanceId("pushed")
				.host("127.0.0.1")
				.port(9)
				.leaseTtl(Duration.ofSeconds(30))
				.build());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(discovery.getInstances("greeter")).extracting(ServiceInstance::instanceId)
				.contains("pushed"));
	}

	@Test
	void anAppThatDoesNotTrustTheRegistrysCertificateCannotRegister() {
		this.registry = startRegistry(0, GREETER);
		assertThatThrownBy(() -> new SpringApplicationBuilder(BackendApp.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.application.name=greeter", "--beacon.client.host=127.0.0.1",
				"--beacon.client.registry-url=https://localhost:" + this.registry.port(),
				"--beacon.client.token=" + GREETER, "--beacon.client.fail-fast=true"))
			.hasStackTraceContaining("Could not register");
	}

	@Test
	void aTokenWithoutTheRegisterRoleFailsAFailFastStartupNamingTheRole(CapturedOutput output) {
		this.registry = startRegistry(0, GREETER);
		assertThatThrownBy(() -> app("greeter", "beacon.client.token=" + READER, "beacon.client.fail-fast=true"))
			.hasRootCauseInstanceOf(RegistryAccessDeniedException.class)
			.rootCause()
			.hasMessageContaining("the token is missing: role register");
		// logged through an asynchronous appender: wait for the line
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getAll()).containsPattern("ERROR .*the token is missing: role register"));
		assertThat(output.getAll()).doesNotContain(READER);
	}

	@Test
	void noTokenAt401TellsHowToSetOne(CapturedOutput output) {
		this.registry = startRegistry(0, GREETER);
		assertThatThrownBy(() -> app("greeter", "beacon.client.fail-fast=true"))
			.rootCause()
			.hasMessageContaining("HTTP 401")
			.hasMessageContaining("set beacon.client.token");
	}

	@Test
	void afterTheRegistrysTokenIsRotatedTheAppRetriesWithItsCurrentCredentials(CapturedOutput output) {
		this.registry = startRegistry(0, GREETER);
		int port = this.registry.port();
		AtomicReference<String> token = new AtomicReference<>(GREETER);
		ConfigurableApplicationContext app = app("greeter", token, new String[0]);
		String id = "127.0.0.1:" + BackendApp.port(app);
		await().atMost(Duration.ofSeconds(20)).until(() -> registered(app));
		// The operator rotates the token: the registry now knows only the new one...
		this.registry.close();
		this.registry = startRegistry(port, ROTATED);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getAll()).contains("The registry refused")
				.contains("set beacon.client.token"));
		assertThat(this.registry.registry().instance("greeter", id)).isEmpty();
		// ...and the app's credentials pick up the new token: the next retry is accepted.
		token.set(ROTATED);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.registry.registry().instance("greeter", id)).isPresent());
		assertThat(output.getAll()).doesNotContain(GREETER, ROTATED, TokenStore.sha256Hex(GREETER));
	}

	private RegistryServer startRegistry(int port, String greeterToken) {
		return RegistryServer.start(port, "--server.ssl.bundle=registry",
				"--spring.ssl.bundle.jks.registry.keystore.location=file:" + keyStore,
				"--spring.ssl.bundle.jks.registry.keystore.password=" + PASSWORD,
				"--spring.ssl.bundle.jks.registry.keystore.type=PKCS12",
				"--beacon.registry.security.enabled=true",
				"--beacon.registry.security.tokens[0].name=greeter",
				"--beacon.registry.security.tokens[0].sha256=" + TokenStore.sha256Hex(greeterToken),
				"--beacon.registry.security.tokens[0].roles=read,register",
				"--beacon.registry.security.tokens[0].services=greeter",
				"--beacon.registry.security.tokens[1].name=reader",
				"--beacon.registry.security.tokens[1].sha256=" + TokenStore.sha256Hex(READER),
				"--beacon.registry.security.tokens[1].roles=read");
	}

	private ConfigurableApplicationContext app(String service, String... extra) {
		return app(service, null, extra);
	}

	/**
	 * An app of the registry over HTTPS, trusting its certificate; with {@code token} set, its token is
	 * read from it at every call (a rotating credentials bean).
	 */
	private ConfigurableApplicationContext app(String service, AtomicReference<String> token, String... extra) {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.application.name=" + service, "beacon.client.host=127.0.0.1", "beacon.client.lease-ttl=3s",
				"spring.main.banner-mode=off"));
		properties.addAll(tls());
		properties.addAll(List.of(extra));
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BackendApp.class);
		if (token != null) {
			builder.initializers((context) -> context.getBeanFactory()
				.registerSingleton("rotatingCredentials", (BeaconCredentials) token::get));
		}
		ConfigurableApplicationContext app = builder
			.run(properties.stream().map((property) -> "--" + property).toArray(String[]::new));
		this.apps.add(app);
		return app;
	}

	private List<String> tls() {
		return List.of("beacon.client.registry-url=https://localhost:" + this.registry.port(),
				"beacon.client.ssl.bundle=beacon",
				"spring.ssl.bundle.pem.beacon.truststore.certificate=file:" + certificate);
	}

	private Instance instance(String service, String id) {
		return this.registry.registry().instance(service, id).orElseThrow();
	}

	private static boolean registered(ConfigurableApplicationContext app) {
		return app.getBean(Registrar.class).snapshot().state() == RegistrationState.REGISTERED;
	}

}
