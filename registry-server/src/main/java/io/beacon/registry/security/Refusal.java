package io.beacon.registry.security;

/**
 * Why a request was refused; the reason tags the refusal meter.
 */
public enum Refusal {

	/** No Authorization header. */
	MISSING_CREDENTIALS("missing-credentials", 401),

	/** An Authorization header that is not exactly one {@code Bearer <token>}. */
	MALFORMED_CREDENTIALS("malformed-credentials", 401),

	/** A token in the query string, where it would end up in access logs and browser history. */
	TOKEN_IN_QUERY("token-in-query", 401),

	/** A well-formed token that matches no configured token. */
	UNKNOWN_TOKEN("unknown-token", 401),

	/** Too many bad tokens from the caller's address. */
	RATE_LIMITED("rate-limited", 429),

	/** A valid token without the role the request needs. */
	ROLE("role", 403),

	/** A valid token whose services do not include the request's service. */
	SERVICE("service", 403),

	/** A valid token asking to change an instance another token registered. */
	OWNER("owner", 403);

	private final String tag;

	private final int status;

	Refusal(String tag, int status) {
		this.tag = tag;
		this.status = status;
	}

	/** The value of the meter's {@code reason} tag. */
	public String tag() {
		return this.tag;
	}

	/** The HTTP status the refusal is answered with. */
	public int status() {
		return this.status;
	}

}
