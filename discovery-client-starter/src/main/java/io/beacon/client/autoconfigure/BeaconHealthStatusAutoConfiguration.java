package io.beacon.client.autoconfigure;

import io.beacon.client.actuate.HealthGroupCheck;
import io.beacon.client.registration.HealthCheck;
import io.beacon.client.registration.HealthMonitor;
import io.beacon.client.registration.Registrar;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Health-driven status: the application's health group, checked once per heartbeat interval, turns
 * the registered instance DOWN and UP again (with hysteresis), when the application has Boot's
 * health endpoint and registers itself.
 */
@AutoConfiguration(after = { BeaconRegistrationAutoConfiguration.class, HealthEndpointAutoConfiguration.class })
@ConditionalOnClass(HealthEndpoint.class)
@ConditionalOnBooleanProperty(name = "beacon.client.health.enabled", matchIfMissing = true)
// the starter's own registration, not a Registrar someone else drives (the sidecar registers another process)
@ConditionalOnBean({ RegistrationLifecycle.class, HealthEndpoint.class })
public final class BeaconHealthStatusAutoConfiguration {

	/** The check: the configured health group; a user's own {@link HealthCheck} bean wins. */
	@Bean
	@ConditionalOnMissingBean
	HealthCheck beaconHealthCheck(HealthEndpoint healthEndpoint, BeaconClientProperties properties) {
		return new HealthGroupCheck(healthEndpoint, properties.getHealth().getGroup());
	}

	@Bean
	@ConditionalOnMissingBean
	HealthMonitor beaconHealthMonitor(HealthCheck check, Registrar registrar, BeaconScheduler scheduler,
			BeaconClientProperties properties) {
		BeaconClientProperties.Health health = properties.getHealth();
		return new HealthMonitor(check, check.toString(), registrar, scheduler.executor(),
				Registrar.heartbeatInterval(properties.getLeaseTtl()), health.getThreshold(), health.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	HealthMonitorLifecycle beaconHealthMonitorLifecycle(HealthMonitor monitor) {
		return new HealthMonitorLifecycle(monitor);
	}

}
