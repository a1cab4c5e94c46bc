package io.beacon.sidecar.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting is checked at startup; a bad one stops the sidecar with a message naming the key
 * and what is allowed (Boot's failure report adds the value).
 */
class SidecarPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class)
		.withPropertyValues("beacon.sidecar.service-name=payment-service", "beacon.sidecar.app-port=9090");

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.runner.run((context) -> {
			SidecarProperties properties = context.getBean(SidecarProperties.class);
			assertThat(properties.getAppHost()).isEqualTo("127.0.0.1");
			assertThat(properties.getProxyPort()).isEqualTo(15001);
			assertThat(properties.getHealthUrl()).isNull();
			assertThat(properties.getProbeInterval()).hasSeconds(2);
			assertThat(properties.getProbeTimeout()).hasSeconds(1);
			assertThat(properties.getHealthyThreshold()).isEqualTo(2);
			assertThat(properties.getUnhealthyThreshold()).isEqualTo(3);
			assertThat(properties.getDrainDelay()).hasSeconds(2);
			assertThat(properties.getAppStopTimeout()).hasSeconds(10);
			assertThat(properties.getCommand()).isEmpty();
			assertThat(properties.getAppPid()).isNull();
		});
	}

	@Test
	void serviceNameAndAppPortAreRequired() {
		new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class).run((context) -> {
			assertThat(context).hasFailed();
			String message = messages(context.getStartupFailure());
			assertThat(message).contains("beacon.sidecar.service-name")
				.contains("is required: the name the app registers under")
				.contains("beacon.sidecar.app-port")
				.contains("is required: the port the app serves on");
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			service-name          | payment_service      | must be a DNS label
			service-name          | -payments            | must be a DNS label
			app-host              | ' '                  | must be an IP address or host name
			app-port              | 0                    | must be a port, 1-65535
			app-port              | 70000                | must be a port, 1-65535
			health-url            | ftp://127.0.0.1/x    | must be an http or https URL with a host
			health-url            | /health              | must be an http or https URL with a host
			probe-interval        | 1ms                  | must be at least 50ms
			probe-timeout         | 2m                   | must be at most 1m
			healthy-threshold     | 0                    | must be 1-100
			unhealthy-threshold   | 101                  | must be 1-100
			proxy-port            | 0                    | must be a port, 1-65535
			proxy-port            | 9090                 | must differ from beacon.sidecar.app-port
			proxy-connect-timeout | 0s                   | must be at least 10ms
			proxy-response-timeout| 2h                   | must be at most 1h
			drain-delay           | -1s                  | must not be negative
			app-stop-timeout      | 11m                  | must be at most 10m
			app-pid               | 0                    | must be a process id
			""")
	void invalidSettingStopsStartupNamingKeyAndRule(String key, String value, String rule) {
		this.runner.withPropertyValues("beacon.sidecar." + key + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			String message = messages(context.getStartupFailure());
			// the key is in the origin of the value, or in the rule's own message
			assertThat(message).contains("beacon.sidecar." + key).contains(rule);
		});
	}

	@Test
	void appPidAndCommandExcludeEachOther() {
		this.runner.withPropertyValues("beacon.sidecar.app-pid=4242", "beacon.sidecar.command=python3,app.py")
			.run((context) -> assertThat(messages(context.getStartupFailure()))
				.contains("beacon.sidecar.app-pid and beacon.sidecar.command exclude each other"));
	}

	@Test
	void commandIsBoundInOrder() {
		this.runner.withPropertyValues("beacon.sidecar.command[0]=python3", "beacon.sidecar.command[1]=app.py",
				"beacon.sidecar.command[2]=--port=9090")
			.run((context) -> assertThat(context.getBean(SidecarProperties.class).getCommand())
				.containsExactly("python3", "app.py", "--port=9090"));
	}

	private static String messages(Throwable failure) {
		StringBuilder all = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			all.append(cause.getMessage()).append('\n');
		}
		return all.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SidecarProperties.class)
	static class PropertiesOnly {

	}

}
