package io.beacon.client.autoconfigure.cloud;

import io.beacon.client.autoconfigure.BeaconClientAutoConfiguration;
import io.beacon.client.autoconfigure.BeaconDiscoveryAutoConfiguration;
import io.beacon.client.cloud.BeaconCloudDiscoveryClient;
import io.beacon.client.cloud.BeaconReactiveCloudDiscoveryClient;
import io.beacon.client.cloud.NewServiceHeartbeats;
import io.beacon.client.cloud.PushedServiceInstanceListSupplier;
import io.beacon.client.cloud.ViewChangeHeartbeats;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Cloud compatibility matrix: on with Spring Cloud, off without it, each Spring Cloud
 * switch honoured, the user's beans win.
 */
class SpringCloudAutoConfigurationTests {

	/** Beacon alone, as an application without Spring Cloud has it. */
	private final ApplicationContextRunner beaconOnly = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class, WebClientAutoConfiguration.class,
				BeaconClientAutoConfiguration.class, BeaconDiscoveryAutoConfiguration.class,
				BeaconSpringCloudAutoConfiguration.class))
		.withPropertyValues("spring.application.name=gateway", "beacon.client.registration.enabled=false");

	/** With Spring Cloud Commons' discovery configurations. */
	private final ApplicationContextRunner commons = this.beaconOnly.withConfiguration(AutoConfigurations.of(
			UtilAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
			CompositeDiscoveryClientAutoConfiguration.class, SimpleReactiveDiscoveryClientAutoConfiguration.class,
			ReactiveCompositeDiscoveryClientAutoConfiguration.class));

	/** With Spring Cloud LoadBalancer too. */
	private final ApplicationContextRunner runner = this.commons
		.withConfiguration(AutoConfigurations.of(LoadBalancerAutoConfiguration.class));

	@Test
	void withSpringCloudBeaconIsItsBlockingAndReactiveDiscoveryClient() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(BeaconCloudDiscoveryClient.class);
			assertThat(context).hasSingleBean(BeaconReactiveCloudDiscoveryClient.class);
			assertThat(context).hasSingleBean(ViewChangeHeartbeats.class);
			// Spring Cloud's composite clients, which tools use, delegate to Beacon's
			assertThat(context.getBean(DiscoveryClient.class).description()).contains("Composite");
			assertThat(context.getBeansOfType(DiscoveryClient.class).values())
				.anyMatch(BeaconCloudDiscoveryClient.class::isInstance);
			assertThat(context.getBeansOfType(ReactiveDiscoveryClient.class).values())
				.anyMatch(BeaconReactiveCloudDiscoveryClient.class::isInstance);
		});
	}

	@Test
	void everyLoadBalancerClientGetsThePushFedInstanceList() {
		this.runner.run((context) -> {
			LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
			ServiceInstanceListSupplier supplier = factory.getInstance("Payment-Service",
					ServiceInstanceListSupplier.class);
			assertThat(supplier).isInstanceOf(PushedServiceInstanceListSupplier.class);
			assertThat(supplier.getServiceId()).isEqualTo("payment-service");
		});
	}

	@Test
	void withoutSpringCloudNothingLoads() {
		this.beaconOnly.withClassLoader(new FilteredClassLoader("org.springframework.cloud.")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(BeaconDiscoveryClient.class);
			assertThat(context).doesNotHaveBean(BeaconCloudDiscoveryClient.class);
			assertThat(context).doesNotHaveBean(BeaconReactiveCloudDiscoveryClient.class);
			assertThat(context).doesNotHaveBean(ViewChangeHeartbeats.class);
		});
	}

	@Test
	void withoutSpringCloudLoadBalancerTheDiscoveryClientsStillLoad() {
		this.commons.withClassLoader(new FilteredClassLoader("org.springframework.cloud.loadbalancer.")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(BeaconCloudDiscoveryClient.class);
			assertThat(context).hasSingleBean(BeaconReactiveCloudDiscoveryClient.class);
			assertThat(context).doesNotHaveBean(ServiceInstanceListSupplier.class);
		});
	}

	@Test
	void onlyAGatewayWithDiscoveryRoutesWatchesForNewServices() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(NewServiceHeartbeats.class));
		this.runner.withPropertyValues("spring.cloud.gateway.server.webflux.discovery.locator.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(NewServiceHeartbeats.class));
	}

	@Test
	void discoveryDisabledTurnsAllOfItOff() {
		this.runner.withPropertyValues("spring.cloud.discovery.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(BeaconCloudDiscoveryClient.class);
			assertThat(context).doesNotHaveBean(BeaconReactiveCloudDiscoveryClient.class);
			assertThat(context).doesNotHaveBean(ViewChangeHeartbeats.class);
		});
	}

	@Test
	void blockingAndReactiveCanBeTurnedOffOneByOne() {
		this.runner.withPropertyValues("spring.cloud.discovery.blocking.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(BeaconCloudDiscoveryClient.class);
			assertThat(context).hasSingleBean(BeaconReactiveCloudDiscoveryClient.class);
		});
		this.runner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(BeaconCloudDiscoveryClient.class);
			assertThat(context).doesNotHaveBean(BeaconReactiveCloudDiscoveryClient.class);
		});
	}

	@Test
	void beaconDisabledTurnsItOff() {
		this.runner.withPropertyValues("beacon.client.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BeaconCloudDiscoveryClient.class));
	}

	@Test
	void theUsersBeansWin() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(BeaconCloudDiscoveryClient.class)).isSameAs(UserBeans.BLOCKING);
			assertThat(context.getBean(BeaconReactiveCloudDiscoveryClient.class)).isSameAs(UserBeans.REACTIVE);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final BeaconCloudDiscoveryClient BLOCKING = new BeaconCloudDiscoveryClient(null);

		static final BeaconReactiveCloudDiscoveryClient REACTIVE = new BeaconReactiveCloudDiscoveryClient(null);

		@Bean
		BeaconCloudDiscoveryClient myBlocking() {
			return BLOCKING;
		}

		@Bean
		BeaconReactiveCloudDiscoveryClient myReactive() {
			return REACTIVE;
		}

	}

}
