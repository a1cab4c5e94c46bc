package io.beacon.registry.api;

import io.beacon.registry.core.Validation;
import io.beacon.registry.http.ApiRequest;

/**
 * The path variables of the API's routes, validated by the registry's rules.
 */
final class PathVariables {

	private PathVariables() {
	}

	/** The {@code {service}} segment, normalized. */
	static String service(ApiRequest request) {
		return Validation.service("service", request.pathVariable("service"));
	}

	/** The {@code {instanceId}} segment. */
	static String instanceId(ApiRequest request) {
		return Validation.instanceId("instanceId", request.pathVariable("instanceId"));
	}

}
