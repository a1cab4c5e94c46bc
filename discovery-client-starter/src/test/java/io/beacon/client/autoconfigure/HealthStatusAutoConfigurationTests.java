package io.beacon.client.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.client.registration.HealthCheck;
import io.beacon.client.registration.HealthMonitor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health-driven status matrix: on with a health endpoint, off by flag or without registration,
 * classes missing, the user's check wins, properties bound and validated, and the group check
 * following a real indicator flipped at runtime.
 */
class HealthStatusAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class, WebClientAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
				AvailabilityProbesAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
				BeaconClientAutoConfiguration.class, BeaconRegistrationAutoConfiguration.class,
				BeaconHealthStatusAutoConfiguration.class))
		.withUserConfiguration(ToggleIndicator.class)
		.withPropertyValues("spring.application.name=orders", "beacon.client.port=8080",
				"management.endpoint.health.probes.enabled=true",
				// no readiness event is published without SpringApplication: the group holds only the toggle here
				"management.endpoint.health.group.readiness.include=toggle");

	@Test
	void onByDefaultWithTheReadinessGroupAndTheHeartbeatInterval() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(HealthMonitor.class);
			assertThat(context).hasSingleBean(HealthMonitorLifecycle.class);
			assertThat(context.getBean(HealthCheck.class)).hasToString("group 'readiness'");
			BeaconClientProperties.Health health = context.getBean(BeaconClientProperties.class).getHealth();
			assertThat(health.getThreshold()).isEqualTo(2);
			assertThat(health.getTimeout()).hasSeconds(1);
		});
	}

	@Test
	void theGroupCheckFollowsARealIndicatorFlippedAtRuntime() {
		this.runner.run((context) -> {
			HealthCheck check = context.getBean(HealthCheck.class);
			ToggleIndicator toggle = context.getBean(ToggleIndicator.class);
			assertThat(check.isHealthy()).isTrue();
			toggle.healthy.set(false);
			assertThat(check.isHealthy()).isFalse();
			toggle.healthy.set(true);
			assertThat(check.isHealthy()).isTrue();
		});
	}

	@Test
	void aGroupThatDoesNotExistCountsAsHealthy() {
		this.runner.withPropertyValues("beacon.client.health.group=no-such-group").run((context) -> {
			context.getBean(ToggleIndicator.class).healthy.set(false);
			assertThat(context.getBean(HealthCheck.class).isHealthy()).isTrue();
		});
	}

	@Test
	void aSingleContributorMayBeTheGroup() {
		this.runner.withPropertyValues("beacon.client.health.group=toggle").run((context) -> {
			context.getBean(ToggleIndicator.class).healthy.set(false);
			assertThat(context.getBean(HealthCheck.class).isHealthy()).isFalse();
		});
	}

	@Test
	void enabledFalseTurnsItOff() {
		this.runner.withPropertyValues("beacon.client.health.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HealthMonitor.class);
			assertThat(context).doesNotHaveBean(HealthCheck.class);
		});
	}

	@Test
	void offWhenTheApplicationDoesNotRegister() {
		this.runner.withPropertyValues("beacon.client.registration.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HealthMonitor.class);
		});
	}

	@Test
	void offWithoutTheHealthEndpointClasses() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthEndpoint.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HealthMonitor.class);
		});
	}

	@Test
	void theUsersOwnCheckWins() {
		this.runner.withBean("myCheck", HealthCheck.class, () -> () -> true).run((context) -> {
			assertThat(context).hasSingleBean(HealthCheck.class);
			assertThat(context).hasBean("myCheck");
			assertThat(context).hasSingleBean(HealthMonitor.class);
		});
	}

	@Test
	void propertiesAreBoundAndValidated() {
		this.runner
			.withPropertyValues("beacon.client.health.group=liveness", "beacon.client.health.threshold=5",
					"beacon.client.health.timeout=250ms")
			.run((context) -> {
				BeaconClientProperties.Health health = context.getBean(BeaconClientProperties.class).getHealth();
				assertThat(health.getGroup()).isEqualTo("liveness");
				assertThat(health.getThreshold()).isEqualTo(5);
				assertThat(health.getTimeout()).hasMillis(250);
			});
		this.runner.withPropertyValues("beacon.client.health.threshold=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("health.threshold");
		});
		this.runner.withPropertyValues("beacon.client.health.timeout=1ms").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("health.timeout");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ToggleIndicator {

		final AtomicBoolean healthy = new AtomicBoolean(true);

		@Bean
		HealthIndicator toggleHealthIndicator() {
			return () -> this.healthy.get() ? Health.up().build() : Health.down().build();
		}

	}

}
