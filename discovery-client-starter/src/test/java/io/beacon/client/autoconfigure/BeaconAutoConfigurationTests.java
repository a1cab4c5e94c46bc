package io.beacon.client.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.beacon.client.ServiceInstance;
import io.beacon.client.actuate.BeaconClientMetrics;
import io.beacon.client.actuate.BeaconEndpoint;
import io.beacon.client.actuate.BeaconHealthIndicator;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.discovery.DiscoveryClient;
import io.beacon.client.loadbalancer.InFlightRequests;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.loadbalancer.LoadBalancerStrategy;
import io.beacon.client.loadbalancer.RandomStrategy;
import io.beacon.client.loadbalancer.RoundRobinStrategy;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registry.RegistryClient;
import io.beacon.client.web.LoadBalanced;
import io.beacon.client.web.LoadBalancerExchangeFilterFunction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration matrix: on, off, classes missing, the user's beans win, properties bound.
 */
class BeaconAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class, WebClientAutoConfiguration.class,
				BeaconClientAutoConfiguration.class, BeaconDiscoveryAutoConfiguration.class,
				BeaconRegistrationAutoConfiguration.class, BeaconLoadBalancerAutoConfiguration.class,
				BeaconHealthAutoConfiguration.class, BeaconEndpointAutoConfiguration.class,
				BeaconMetricsAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders", "spring.reactor.netty.shutdown-quiet-period=0s");

	@Test
	void everythingIsOnByDefault() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health,beacon").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(RegistryClient.class);
			assertThat(context).hasSingleBean(BeaconDiscoveryClient.class);
			assertThat(context).hasSingleBean(Registrar.class);
			assertThat(context).hasSingleBean(LoadBalancer.class);
			assertThat(context).hasSingleBean(LoadBalancerExchangeFilterFunction.class);
			assertThat(context).hasSingleBean(BeaconHealthIndicator.class);
			assertThat(context).hasSingleBean(BeaconEndpoint.class);
			assertThat(context).hasBean("loadBalancedWebClientBuilder");
			assertThat(context.getBean(RegistryClient.class).currentUrl()).hasToString("http://localhost:8700");
		});
	}

	@Test
	void enabledFalseTurnsEverythingOff() {
		this.runner.withPropertyValues("beacon.client.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RegistryClient.class);
			assertThat(context).doesNotHaveBean(DiscoveryClient.class);
			assertThat(context).doesNotHaveBean(Registrar.class);
			assertThat(context).doesNotHaveBean(LoadBalancerExchangeFilterFunction.class);
			assertThat(context).doesNotHaveBean(BeaconHealthIndicator.class);
			assertThat(context).doesNotHaveBean("loadBalancedWebClientBuilder");
		});
	}

	@Test
	void nonWebApplicationsDoNotRegisterUnlessGivenAPort() {
		ApplicationContextRunner plain = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BeaconClientAutoConfiguration.class,
					BeaconDiscoveryAutoConfiguration.class, BeaconRegistrationAutoConfiguration.class))
			.withPropertyValues("spring.application.name=worker");
		plain.run((context) -> {
			assertThat(context).doesNotHaveBean(Registrar.class);
			assertThat(context).hasSingleBean(BeaconDiscoveryClient.class);
		});
		plain.withPropertyValues("beacon.client.port=9000")
			.run((context) -> assertThat(context).hasSingleBean(Registrar.class));
	}

	@Test
	void registrationCanBeTurnedOffAlone() {
		this.runner.withPropertyValues("beacon.client.registration.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(Registrar.class);
			assertThat(context).hasSingleBean(BeaconDiscoveryClient.class);
			assertThat(context).hasSingleBean(LoadBalancer.class);
		});
	}

	@Test
	void loadBalancerCanBeTurnedOffAlone() {
		this.runner.withPropertyValues("beacon.client.load-balancer.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LoadBalancer.class);
			assertThat(context).doesNotHaveBean("loadBalancedWebClientBuilder");
			assertThat(context).hasSingleBean(BeaconDiscoveryClient.class);
		});
	}

	@Test
	void withoutWebClientOnTheClasspathThereIsNoLoadBalancedBuilder() {
		this.runner.withClassLoader(new FilteredClassLoader(WebClient.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(LoadBalancer.class);
			assertThat(context).doesNotHaveBean("loadBalancedWebClientBuilder");
		});
	}

	@Test
	void withoutActuatorClassesThereIsNoHealthOrEndpoint() {
		this.runner
			.withClassLoader(new FilteredClassLoader(org.springframework.boot.health.contributor.HealthIndicator.class,
					org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=beacon")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(BeaconHealthIndicator.class);
				assertThat(context).doesNotHaveBean(BeaconEndpoint.class);
				assertThat(context).hasSingleBean(BeaconDiscoveryClient.class);
			});
	}

	@Test
	void endpointIsOnlyThereWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(BeaconEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=beacon")
			.run((context) -> assertThat(context).hasSingleBean(BeaconEndpoint.class));
	}

	@Test
	void metersAreBoundWhenTheAppHasAMeterRegistry() {
		this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(BeaconClientMetrics.class);
			SimpleMeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
			assertThat(meters.find("beacon.client.cache.instances").gauge()).isNotNull();
			assertThat(meters.find("beacon.client.heartbeats").counters()).hasSize(2);
		});
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(BeaconClientMetrics.class));
	}

	@Test
	void plainWebClientBuilderIsStillBootsAndTheLoadBalancedOneIsSeparate() {
		this.runner.withUserConfiguration(Injections.class).run((context) -> {
			Injections injections = context.getBean(Injections.class);
			assertThat(injections.plain).isNotSameAs(injections.loadBalanced);
			assertThat(filters(injections.loadBalanced)).hasAtLeastOneElementOfType(
					LoadBalancerExchangeFilterFunction.class);
			assertThat(filters(injections.plain)).noneMatch(LoadBalancerExchangeFilterFunction.class::isInstance);
		});
	}

	@Test
	void usersOwnBeansWin() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context.getBean(RegistryClient.class)).isSameAs(context.getBean(OwnBeans.class).client);
			assertThat(context.getBean(LoadBalancer.class)).isSameAs(context.getBean(OwnBeans.class).loadBalancer);
			assertThat(context.getBeansOfType(WebClient.Builder.class)).containsKey("myLoadBalanced");
			assertThat(context).doesNotHaveBean("loadBalancedWebClientBuilder");
		});
	}

	@Test
	void propertiesAreBound() {
		this.runner
			.withPropertyValues("beacon.client.registry-url=http://a:1,http://b:2", "beacon.client.lease-ttl=30s",
					"beacon.client.drain-delay=5s", "beacon.client.metadata.team=payments",
					"beacon.client.load-balancer.max-retries=3", "beacon.client.load-balancer.strategy=random",
					"beacon.client.load-balancer.services.billing.strategy=least-outstanding",
					"beacon.client.cache.ttl=10s")
			.run((context) -> {
				BeaconClientProperties properties = context.getBean(BeaconClientProperties.class);
				assertThat(properties.getRegistryUrl()).extracting(Object::toString)
					.containsExactly("http://a:1", "http://b:2");
				assertThat(properties.getLeaseTtl()).hasSeconds(30);
				assertThat(properties.getDrainDelay()).hasSeconds(5);
				assertThat(properties.getMetadata()).containsEntry("team", "payments");
				assertThat(properties.getCache().getTtl()).hasSeconds(10);
				LoadBalancer loadBalancer = context.getBean(LoadBalancer.class);
				assertThat(loadBalancer.strategyFor("orders")).isInstanceOf(RandomStrategy.class);
				assertThat(loadBalancer.strategyFor("billing").getClass().getSimpleName())
					.isEqualTo("LeastOutstandingStrategy");
				assertThat(context.getBean(RegistryClient.class).urls()).hasSize(2);
			});
	}

	@Test
	void aStrategyBeanCanBeNamedForAService() {
		this.runner.withUserConfiguration(CustomStrategy.class)
			.withPropertyValues("beacon.client.load-balancer.services.billing.strategy=firstOne")
			.run((context) -> {
				LoadBalancer loadBalancer = context.getBean(LoadBalancer.class);
				assertThat(loadBalancer.strategyFor("billing")).isSameAs(context.getBean("firstOne"));
				assertThat(loadBalancer.strategyFor("orders")).isInstanceOf(RoundRobinStrategy.class);
			});
	}

	@Test
	void invalidSettingsStopStartupNamingTheKey() {
		this.runner.withPropertyValues("beacon.client.load-balancer.strategy=fastest")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("beacon.client.load-balancer.strategy: unknown load-balancer strategy 'fastest'"));
		this.runner.withPropertyValues("beacon.client.lease-ttl=2h")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("leaseTtl"));
		this.runner.withPropertyValues("beacon.client.lease-ttl=1500ms")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("whole number of seconds"));
		this.runner.withPropertyValues("beacon.client.registry-url=ftp://x")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("registry-url"));
		this.runner.withPropertyValues("beacon.client.service-name=bad_name")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("serviceName"));
		this.runner.withPropertyValues("beacon.client.load-balancer.max-retries=-1")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("maxRetries"));
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BeaconClientAutoConfiguration.class,
					BeaconRegistrationAutoConfiguration.class))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("set beacon.client.service-name or spring.application.name"));
	}

	@Test
	void oneSchedulerRunsTheClientAndIsShutDownWithTheContext() {
		java.util.concurrent.atomic.AtomicReference<BeaconScheduler> scheduler = new java.util.concurrent.atomic.AtomicReference<>();
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(BeaconScheduler.class);
			assertThat(context).hasSingleBean(LoadBalancerPruning.class);
			scheduler.set(context.getBean(BeaconScheduler.class));
			assertThat(scheduler.get().isRunning()).isTrue();
			assertThat(scheduler.get().executor().isShutdown()).isFalse();
		});
		assertThat(scheduler.get().executor().isShutdown()).isTrue();
	}

	@Test
	void theClientsClockStaysOutOfTheApplicationsClockInjectionsAndABeanOfItsNameReplacesIt() {
		this.runner.withUserConfiguration(ApplicationClock.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ClockUser.class).clock).isSameAs(ApplicationClock.FIXED);
			assertThat(context.getBean(BeaconClientAutoConfiguration.CLOCK)).isNotSameAs(ApplicationClock.FIXED);
		});
		this.runner.withBean(BeaconClientAutoConfiguration.CLOCK, java.time.Clock.class, () -> ApplicationClock.FIXED)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BeaconClientAutoConfiguration.CLOCK)).isSameAs(ApplicationClock.FIXED);
			});
	}

	@Test
	void watchIdleTimeoutIsUnsetByDefaultBoundWhenSetAndValidated() {
		this.runner.run((context) -> assertThat(
				context.getBean(BeaconClientProperties.class).getWatch().getIdleTimeout()).isNull());
		this.runner.withPropertyValues("beacon.client.watch.idle-timeout=20s")
			.run((context) -> assertThat(context.getBean(BeaconClientProperties.class).getWatch().getIdleTimeout())
				.isEqualTo(Duration.ofSeconds(20)));
		this.runner.withPropertyValues("beacon.client.watch.idle-timeout=0s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("idleTimeout"));
	}

	@Test
	void theLeaseStreamIsOnByDefaultAndCanBeTurnedOff() {
		this.runner.run((context) -> assertThat(
				context.getBean(BeaconClientProperties.class).getLeaseStream().isEnabled()).isTrue());
		this.runner.withPropertyValues("beacon.client.lease-stream.enabled=false")
			.run((context) -> assertThat(context.getBean(BeaconClientProperties.class).getLeaseStream().isEnabled())
				.isFalse());
	}

	@Test
	void aRegistryUrlMayHaveABasePathButNoQuery() {
		this.runner.withPropertyValues("beacon.client.registry-url=http://proxy:8080/beacon")
			.run((context) -> assertThat(context.getBean(RegistryClient.class).currentUrl())
				.hasToString("http://proxy:8080/beacon"));
		this.runner.withPropertyValues("beacon.client.registry-url=http://proxy:8080/beacon?x=1")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("no query or fragment"));
	}

	@SuppressWarnings("unchecked")
	private static List<Object> filters(WebClient.Builder builder) {
		List<Object> found = new java.util.ArrayList<>();
		builder.filters((filters) -> found.addAll(filters));
		return found;
	}

	@Configuration(proxyBeanMethods = false)
	static class Injections {

		@Autowired
		WebClient.Builder plain;

		@Autowired
		@LoadBalanced
		WebClient.Builder loadBalanced;

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		final RegistryClient client = new RegistryClient(List.of(java.net.URI.create("http://own:1")),
				Duration.ofSeconds(1), Duration.ofSeconds(1), io.beacon.client.registry.RegistryCallListener.NONE);

		final LoadBalancer loadBalancer = new LoadBalancer(new RandomStrategy(), java.util.Map.of(),
				new io.beacon.client.loadbalancer.Ejections(System::nanoTime), Duration.ofSeconds(1));

		@Bean
		RegistryClient ownRegistryClient() {
			return this.client;
		}

		@Bean
		LoadBalancer ownLoadBalancer() {
			return this.loadBalancer;
		}

		@Bean
		@LoadBalanced
		WebClient.Builder myLoadBalanced(LoadBalancerExchangeFilterFunction filter) {
			return WebClient.builder().filter(filter);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationClock {

		static final java.time.Clock FIXED = java.time.Clock.fixed(java.time.Instant.parse("2020-01-01T00:00:00Z"),
				java.time.ZoneOffset.UTC);

		@Bean
		java.time.Clock applicationClock() {
			return FIXED;
		}

		@Bean
		ClockUser clockUser(java.time.Clock clock) {
			return new ClockUser(clock);
		}

	}

	record ClockUser(java.time.Clock clock) {
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomStrategy {

		@Bean
		LoadBalancerStrategy firstOne() {
			return (String service, List<ServiceInstance> candidates, InFlightRequests inFlight) -> candidates.get(0);
		}

	}

}
