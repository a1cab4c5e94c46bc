package io.beacon.client.autoconfigure;

import io.beacon.client.registry.BeaconCredentials;
import io.beacon.client.registry.RegistryClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry token and TLS settings of the client.
 */
class BeaconCredentialsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class, SslAutoConfiguration.class,
				BeaconClientAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders");

	@Test
	void theTokenPropertyBecomesTheCredentials() {
		this.runner.withPropertyValues("beacon.client.token=  s3cret-token ")
			.run((context) -> assertThat(context.getBean(BeaconCredentials.class).token()).isEqualTo("s3cret-token"));
	}

	@Test
	void withoutATokenNoneIsSent() {
		this.runner.run((context) -> assertThat(context.getBean(BeaconCredentials.class).token()).isNull());
	}

	@Test
	void aCredentialsBeanOfTheApplicationWins() {
		BeaconCredentials rotating = () -> "from-a-vault";
		this.runner.withPropertyValues("beacon.client.token=ignored")
			.withBean(BeaconCredentials.class, () -> rotating)
			.run((context) -> assertThat(context.getBean(BeaconCredentials.class)).isSameAs(rotating));
	}

	@Test
	void anUnknownSslBundleFailsStartupNamingIt() {
		this.runner.withPropertyValues("beacon.client.ssl.bundle=nope").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("'nope'");
		});
	}

	@Test
	void aKnownSslBundleIsUsedForTheRegistryClient() {
		this.runner
			.withPropertyValues("beacon.client.ssl.bundle=registry-ca",
					"beacon.client.registry-url=https://registry.example:8700",
					"spring.ssl.bundle.pem.registry-ca.truststore.certificate=classpath:test-ca.crt")
			.run((context) -> assertThat(context).hasSingleBean(RegistryClient.class));
	}

}
