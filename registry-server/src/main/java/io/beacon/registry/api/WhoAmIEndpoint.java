package io.beacon.registry.api;

import java.util.List;
import java.util.Set;

import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import io.beacon.registry.http.JsonReplies;
import io.beacon.registry.security.ApiGuard;
import io.beacon.registry.security.Caller;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * {@code GET /v1/whoami}: the caller's token name, roles and services, and whether security is on
 * (the dashboard shows what the user may do). Never the token or its hash.
 */
final class WhoAmIEndpoint {

	private final JsonReplies replies;

	private final boolean security;

	WhoAmIEndpoint(JsonReplies replies, ApiGuard guard) {
		this.replies = replies;
		this.security = guard.enabled();
	}

	ApiReply whoAmI(ApiRequest request) {
		request.allowQuery(Set.of());
		request.requireNoBody();
		request.requireAccepts(MediaType.APPLICATION_JSON);
		Caller caller = request.caller();
		return this.replies.json(HttpStatus.OK,
				new WhoAmI(caller.displayName(), caller.roleLabels(), caller.servicePatterns(), this.security));
	}

	/**
	 * The body of {@code GET /v1/whoami}.
	 *
	 * @param name the token's name, {@code anonymous} with security off
	 * @param roles its roles
	 * @param services the services it may register (names or globs)
	 * @param security whether the registry checks tokens
	 */
	record WhoAmI(String name, List<String> roles, List<String> services, boolean security) {
	}

}
