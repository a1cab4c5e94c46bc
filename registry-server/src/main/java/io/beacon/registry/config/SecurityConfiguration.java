package io.beacon.registry.config;

import java.time.Clock;
import java.util.List;

import io.beacon.registry.security.ApiGuard;
import io.beacon.registry.security.Refusals;
import io.beacon.registry.security.TokenSpec;
import io.beacon.registry.security.TokenStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the API's access check from {@link SecurityProperties}. With security off it says once, at
 * startup, that the API is open.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	ApiGuard apiGuard(SecurityProperties properties, MeterRegistry meters, ObjectProvider<Clock> clock) {
		if (!properties.isEnabled()) {
			logger.warn("beacon.registry.security.enabled is false: anyone who can reach this registry may read, "
					+ "register and deregister every instance (see 'Securing the registry' in the README)");
			return ApiGuard.open();
		}
		List<TokenSpec> specs = properties.getTokens()
			.stream()
			.map((token) -> new TokenSpec(token.getName(), token.getSha256(), token.getRoles(), token.getServices()))
			.toList();
		TokenStore tokens = new TokenStore(specs, new Refusals(meters));
		logger.info("API security on: {} token(s); actuator endpoints open without a token: {}", tokens.size(),
				properties.getOpenActuatorEndpoints());
		return ApiGuard.of(tokens, clock.getIfAvailable(Clock::systemUTC), properties.getBadTokenLimit(),
				properties.getBadTokenWindow());
	}

}
