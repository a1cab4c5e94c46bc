package io.beacon.registry.dns.config;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.dns.DnsDomain;
import io.beacon.registry.dns.DnsResponder;
import io.beacon.registry.dns.server.DnsServerException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class DnsConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(RegistryAndProperties.class, DnsConfiguration.class)
		.withPropertyValues("beacon.registry.dns.port=0");

	@Test
	void isOffByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DnsServerLifecycle.class);
			assertThat(context).doesNotHaveBean(DnsResponder.class);
		});
	}

	@Test
	void servesOnAPortWhenEnabledAndStopsWithTheContext() {
		this.runner.withPropertyValues("beacon.registry.dns.enabled=true").run((context) -> {
			DnsServerLifecycle server = context.getBean(DnsServerLifecycle.class);
			assertThat(server.isRunning()).isTrue();
			assertThat(server.port()).isPositive();
			context.close();
			assertThat(server.isRunning()).isFalse();
		});
	}

	@Test
	void defaultsAreTheDocumentedOnes() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(RegistryAndProperties.class)
			.run((context) -> {
				DnsProperties properties = context.getBean(DnsProperties.class);
				assertThat(properties.isEnabled()).isFalse();
				assertThat(properties.getPort()).isEqualTo(8600);
				assertThat(properties.getBind()).isEqualTo("127.0.0.1");
				assertThat(properties.getDomain()).isEqualTo("beacon");
				assertThat(properties.getTtl()).isZero();
			});
	}

	@Test
	void valuesAreBound() {
		this.runner
			.withPropertyValues("beacon.registry.dns.bind=::1", "beacon.registry.dns.domain=disco.example",
					"beacon.registry.dns.ttl=5s")
			.run((context) -> {
				DnsProperties properties = context.getBean(DnsProperties.class);
				assertThat(properties.getBind()).isEqualTo("::1");
				assertThat(properties.getDomain()).isEqualTo("disco.example");
				assertThat(properties.getTtl()).hasSeconds(5);
			});
	}

	@Test
	void invalidValuesStopTheServerWithTheKeyNamed() {
		assertFailure("beacon.registry.dns.port=70000", "port");
		assertFailure("beacon.registry.dns.bind=localhost", "beacon.registry.dns.bind must be an IPv4 or IPv6 address");
		assertFailure("beacon.registry.dns.domain=bad_domain", "domain");
		assertFailure("beacon.registry.dns.domain=-x.example", "domain");
		assertFailure("beacon.registry.dns.ttl=1500ms", "beacon.registry.dns.ttl must be a whole number of seconds");
		assertFailure("beacon.registry.dns.ttl=2h", "ttl");
		assertFailure("beacon.registry.dns.ttl=-1s", "ttl");
	}

	private void assertFailure(String property, String message) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).as(property).hasFailed();
			assertThat(context.getStartupFailure()).as(property).rootCause().hasMessageContaining(message);
		});
	}

	@Test
	void aUserResponderWins() {
		this.runner.withPropertyValues("beacon.registry.dns.enabled=true")
			.withBean("myResponder", DnsResponder.class,
					() -> new DnsResponder(new Registry(Clock.systemUTC(), Ticker.system(), 10), new DnsDomain("mine"), Duration.ZERO,
							new Random()))
			.run((context) -> {
				assertThat(context).hasSingleBean(DnsResponder.class);
				assertThat(context).hasBean("myResponder");
				assertThat(context).hasSingleBean(DnsServerLifecycle.class);
			});
	}

	@Test
	void aTakenPortStopsTheServerWithThePortNamed() throws Exception {
		try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
			this.runner
				.withPropertyValues("beacon.registry.dns.enabled=true",
						"beacon.registry.dns.port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).cause()
						.isInstanceOf(DnsServerException.class)
						.hasMessageContaining("Cannot listen for DNS on UDP 127.0.0.1:" + taken.getLocalPort());
				});
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DnsProperties.class)
	static class RegistryAndProperties {

		@Bean
		Registry registry() {
			return new Registry(Clock.systemUTC(), Ticker.system(), 10);
		}

	}

}
