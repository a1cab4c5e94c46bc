package io.beacon.client.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.client.registry.RegistryCallListener;
import io.beacon.client.web.LoadBalanced;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * An application that only calls others: no web server, no self-registration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@org.springframework.context.annotation.Import(OwnNettyResources.class)
class ConsumerApp {

	@Bean
	Clients clients(@LoadBalanced WebClient.Builder loadBalanced, WebClient.Builder plain) {
		return new Clients(loadBalanced.build(), plain.build());
	}

	@Bean
	CallCounter callCounter() {
		return new CallCounter();
	}

	static ConfigurableApplicationContext start(RegistryServer registry, String... extra) {
		List<String> args = new ArrayList<>(List.of("--beacon.client.registry-url=" + registry.url(),
				"--beacon.client.registration.enabled=false", "--spring.main.banner-mode=off",
				"--spring.application.name=consumer", "--beacon.client.cache.restart-grace=2s"));
		for (String property : extra) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(ConsumerApp.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	record Clients(WebClient loadBalanced, WebClient plain) {
	}

	/** Counts the client's calls to the registry by operation. */
	static final class CallCounter implements RegistryCallListener {

		final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		@Override
		public void onCall(String operation, String outcome, long nanos) {
			this.calls.computeIfAbsent(operation, (key) -> new AtomicInteger()).incrementAndGet();
		}

		int count(String operation) {
			AtomicInteger count = this.calls.get(operation);
			return (count != null) ? count.get() : 0;
		}

	}

}
