package io.beacon.registry.http;

import io.beacon.registry.core.InstanceOwnedException;
import io.beacon.registry.security.AccessRefusedException;
import io.beacon.registry.security.Refusal;

import org.springframework.http.HttpStatus;

/**
 * The problems for refused requests: 401 with a {@code WWW-Authenticate: Bearer} challenge, 403
 * naming what is missing, 429 with {@code Retry-After}.
 */
final class AccessProblems {

	private static final String REALM = "Bearer realm=\"beacon\"";

	private AccessProblems() {
	}

	static Problem of(AccessRefusedException refused) {
		return switch (refused.getStatus()) {
			case 401 -> new Problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", refused.getMessage())
				.withHeader("WWW-Authenticate", challenge(refused.getReason()));
			case 403 -> new Problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", refused.getMessage())
				.with("missing", refused.getMissing());
			default -> new Problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-bad-tokens", "Too many bad tokens",
					refused.getMessage())
				.withHeader("Retry-After", Long.toString(refused.getRetryAfterSeconds()));
		};
	}

	static Problem of(InstanceOwnedException owned) {
		return new Problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", owned.getMessage())
			.with("missing", "ownership of instance " + owned.getInstanceId())
			.with("service", owned.getService())
			.with("instanceId", owned.getInstanceId());
	}

	/** RFC 6750 section 3: no error code when no credentials came, else what was wrong with them. */
	private static String challenge(Refusal reason) {
		return switch (reason) {
			case MISSING_CREDENTIALS -> REALM;
			case UNKNOWN_TOKEN -> REALM + ", error=\"invalid_token\"";
			default -> REALM + ", error=\"invalid_request\"";
		};
	}

}
