package io.beacon.client.it;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives an application its own Reactor Netty event loops and connection pools. In production one
 * application runs per JVM and shares the global ones; these tests run several applications in one
 * JVM, and closing one must not dispose the loops the others still use.
 */
@TestConfiguration(proxyBeanMethods = false)
class OwnNettyResources {

	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setShutdownQuietPeriod(java.time.Duration.ZERO);
		return factory;
	}

}
