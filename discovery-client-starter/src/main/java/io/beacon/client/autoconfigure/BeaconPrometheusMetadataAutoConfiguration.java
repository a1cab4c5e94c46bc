package io.beacon.client.autoconfigure;

import io.beacon.client.actuate.PrometheusPathMetadata;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Tells the registry where Prometheus scrapes this application, when it has the actuator.
 */
@AutoConfiguration
@ConditionalOnClass({ PathMappedEndpoints.class, ManagementPortType.class })
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "beacon.client.registration.enabled", matchIfMissing = true)
public final class BeaconPrometheusMetadataAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PrometheusPathMetadata beaconPrometheusPathMetadata(ObjectProvider<PathMappedEndpoints> endpoints,
			Environment environment) {
		return new PrometheusPathMetadata(endpoints, environment);
	}

}
