package io.beacon.registry.api;

import java.time.Duration;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives a registry its own Reactor Netty event loops. In production one registry runs per JVM and
 * shares the global ones; a test that runs several in one JVM must not let closing one (a replica
 * that fails to start, say) dispose the loops the others still serve on.
 */
@TestConfiguration(proxyBeanMethods = false)
class OwnNettyResources {

	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setShutdownQuietPeriod(Duration.ZERO);
		return factory;
	}

}
