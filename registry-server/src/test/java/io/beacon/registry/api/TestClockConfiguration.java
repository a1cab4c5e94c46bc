package io.beacon.registry.api;

import java.time.Instant;

import io.beacon.registry.core.MutableClock;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Puts the registry on a clock the test moves, so leases lapse when the test says, not after real
 * seconds of waiting.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestClockConfiguration {

	@Bean
	MutableClock registryClock() {
		return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
	}

}
