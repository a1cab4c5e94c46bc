package io.beacon.client.autoconfigure;

import java.time.Clock;

import io.beacon.client.registration.MetadataContributor;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationListener;
import io.beacon.client.registry.RegistryClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Self-registration: register when the web server is up, follow readiness, heartbeat, drain and
 * deregister on shutdown.
 */
@AutoConfiguration(after = BeaconClientAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "beacon.client.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "beacon.client.registration.enabled", matchIfMissing = true)
@ConditionalOnBean(RegistryClient.class)
@Conditional(BeaconRegistrationAutoConfiguration.WebOrPortCondition.class)
public final class BeaconRegistrationAutoConfiguration {

	/** Registration needs a port: a web server to ask, or beacon.client.port. */
	static final class WebOrPortCondition extends AnyNestedCondition {

		WebOrPortCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnWebApplication
		static final class WebApplication {

		}

		@ConditionalOnProperty("beacon.client.port")
		static final class PortConfigured {

		}

	}

	@Bean
	@ConditionalOnMissingBean
	Registrar beaconRegistrar(RegistryClient registryClient, BeaconScheduler scheduler,
			@Qualifier(BeaconClientAutoConfiguration.CLOCK) Clock clock, ObjectProvider<RegistrationListener> listener,
			BeaconClientProperties properties) {
		return new Registrar(registryClient, scheduler.executor(), clock,
				RegistrationListener.all(listener.orderedStream().toList()), properties.getLeaseStream().isEnabled());
	}

	@Bean
	@ConditionalOnMissingBean
	RegistrationLifecycle beaconRegistrationLifecycle(Registrar registrar, BeaconClientProperties properties,
			Environment environment, ObjectProvider<BuildProperties> buildProperties,
			ObjectProvider<MetadataContributor> metadataContributors, ApplicationContext context) {
		LocalInstanceFactory factory = new LocalInstanceFactory(properties, environment, buildProperties,
				metadataContributors);
		factory.serviceName();
		return new RegistrationLifecycle(registrar, factory, context, properties.isFailFast());
	}

	@Bean
	@ConditionalOnMissingBean
	DrainLifecycle beaconDrainLifecycle(Registrar registrar, BeaconClientProperties properties,
			RegistryClient registryClient) {
		return new DrainLifecycle(registrar, properties.getDrainDelay(), registryClient.callTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	ReadinessStatusListener beaconReadinessStatusListener(Registrar registrar) {
		return new ReadinessStatusListener(registrar);
	}

}
