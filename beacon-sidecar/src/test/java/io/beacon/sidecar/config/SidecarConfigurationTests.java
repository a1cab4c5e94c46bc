package io.beacon.sidecar.config;

import io.beacon.client.autoconfigure.BeaconClientAutoConfiguration;
import io.beacon.client.autoconfigure.BeaconDiscoveryAutoConfiguration;
import io.beacon.client.autoconfigure.BeaconLoadBalancerAutoConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sidecar runs on the starter's client; turning a needed part of it off stops startup with a
 * message naming the switch, not a missing-bean error.
 */
class SidecarConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BeaconClientAutoConfiguration.class,
				BeaconDiscoveryAutoConfiguration.class, BeaconLoadBalancerAutoConfiguration.class))
		.withUserConfiguration(SidecarConfiguration.class)
		.withPropertyValues("beacon.sidecar.service-name=payment-service", "beacon.sidecar.app-port=9090");

	@ParameterizedTest
	@ValueSource(strings = { "beacon.client.enabled", "beacon.client.load-balancer.enabled" })
	void turningOffWhatTheSidecarNeedsStopsStartupNamingTheSwitch(String key) {
		this.runner.withPropertyValues(key + "=false").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("The sidecar needs the starter's client: " + key + " must not be false");
		});
	}

}
