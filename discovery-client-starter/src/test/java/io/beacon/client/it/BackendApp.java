package io.beacon.client.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A small WebFlux application using the starter, answering {@code /whoami} (any method) with its own port.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@org.springframework.context.annotation.Import(OwnNettyResources.class)
class BackendApp {

	static final AtomicInteger SERVED = new AtomicInteger();

	/** What the {@code toggle} health indicator says; tests flip it at runtime and set it back. */
	static final AtomicBoolean HEALTHY = new AtomicBoolean(true);

	@Bean
	HealthIndicator toggleHealthIndicator() {
		return () -> HEALTHY.get() ? Health.up().build() : Health.down().withDetail("flipped", "by the test").build();
	}

	@Bean
	RouterFunction<ServerResponse> whoami(org.springframework.core.env.Environment environment) {
		return RouterFunctions.route()
			.route(RequestPredicates.path("/whoami"), (request) -> {
				SERVED.incrementAndGet();
				return ServerResponse.ok().body(Mono.fromSupplier(() -> environment.getProperty("local.server.port")),
						String.class);
			})
			.build();
	}

	static ConfigurableApplicationContext start(RegistryServer registry, String service, String... extra) {
		return start(RegistryServerAddress.of(registry.port()), service, extra);
	}

	static ConfigurableApplicationContext start(RegistryServerAddress registry, String service, String... extra) {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.application.name=" + service, "beacon.client.registry-url=" + registry.url(),
				"beacon.client.lease-ttl=3s", "beacon.client.drain-delay=300ms",
				"spring.main.banner-mode=off", "management.endpoints.web.exposure.include=health,beacon",
				"management.endpoint.health.show-details=always"));
		// an extra setting replaces the default of the same key: Spring would join repeated
		// command-line options into one list (two registry-url options make one list of both)
		for (String setting : extra) {
			String key = setting.substring(0, setting.indexOf('=') + 1);
			properties.removeIf((property) -> property.startsWith(key));
			properties.add(setting);
		}
		// no beacon.client.host, as users run it: the app registers the address its server is bound to
		// command-line arguments: they win over the application.yml of the registry on the test classpath
		return new SpringApplicationBuilder(BackendApp.class).web(WebApplicationType.REACTIVE)
			.run(properties.stream().map((property) -> "--" + property).toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
