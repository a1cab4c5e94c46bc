package io.beacon.sidecar.health;

import reactor.core.publisher.Mono;

/**
 * One check of the app's health. The monitor bounds how long it may take.
 */
@FunctionalInterface
public interface HealthProbe {

	/**
	 * @return whether the app is healthy; an error counts as unhealthy
	 */
	Mono<Boolean> check();

	/** What is checked, for logs. */
	default String describe() {
		return toString();
	}

}
