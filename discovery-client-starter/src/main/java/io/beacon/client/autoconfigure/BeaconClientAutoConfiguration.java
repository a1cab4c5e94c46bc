package io.beacon.client.autoconfigure;

import java.time.Clock;

import io.beacon.client.registry.BeaconCredentials;
import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.registry.RegistryClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * What registration and discovery share: the connection to the registry, the client's one
 * scheduler, and its clock. The clock is the bean named {@value #CLOCK}, not a default candidate,
 * so that it never meets the application's own {@link Clock} injection points; a bean of that name
 * replaces it (tests drive time with one).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BeaconClientProperties.class)
public final class BeaconClientAutoConfiguration {

	/** The name of the client's clock bean. */
	public static final String CLOCK = "beaconClock";

	/** The token from {@code beacon.client.token}; define a bean of your own to rotate tokens. */
	@Bean
	@ConditionalOnMissingBean
	BeaconCredentials beaconCredentials(BeaconClientProperties properties) {
		return BeaconCredentials.of(properties.getToken());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RegistryClient beaconRegistryClient(BeaconClientProperties properties,
			ObjectProvider<RegistryCallListener> listener, BeaconCredentials credentials,
			ObjectProvider<SslBundles> sslBundles) {
		String bundle = properties.getSsl().getBundle();
		SslBundle ssl = (bundle != null) ? sslBundles.getObject().getBundle(bundle) : null;
		return new RegistryClient(properties.getRegistryUrl(), properties.getConnectTimeout(),
				properties.getRequestTimeout(), RegistryCallListener.all(listener.orderedStream().toList()),
				credentials, ssl);
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean
	BeaconScheduler beaconScheduler() {
		return new BeaconScheduler();
	}

	@Bean(name = CLOCK, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CLOCK)
	Clock beaconClock() {
		return Clock.systemUTC();
	}

}
