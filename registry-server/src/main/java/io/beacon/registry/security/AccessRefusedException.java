package io.beacon.registry.security;

/**
 * A request refused by the {@link ApiGuard}: nothing was done for it. The detail says what is
 * missing and never contains a token or a hash.
 */
public class AccessRefusedException extends RuntimeException {

	private final Refusal reason;

	private final String missing;

	private final long retryAfterSeconds;

	AccessRefusedException(Refusal reason, String detail, String missing, long retryAfterSeconds) {
		// No stack trace: refusals are expected, and a flood of bad tokens must stay cheap.
		super(detail, null, false, false);
		this.reason = reason;
		this.missing = missing;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	static AccessRefusedException unauthenticated(Refusal reason, String detail) {
		return new AccessRefusedException(reason, detail, null, 0);
	}

	static AccessRefusedException forbidden(Refusal reason, String detail, String missing) {
		return new AccessRefusedException(reason, detail, missing, 0);
	}

	static AccessRefusedException rateLimited(long retryAfterSeconds) {
		return new AccessRefusedException(Refusal.RATE_LIMITED,
				"Too many requests with bad tokens came from this address; try again in " + retryAfterSeconds + " s",
				null, retryAfterSeconds);
	}

	public Refusal getReason() {
		return this.reason;
	}

	/** The HTTP status: 401, 403 or 429. */
	public int getStatus() {
		return this.reason.status();
	}

	/** What the caller lacks ({@code role register}, {@code service payment-service}), or {@code null}. */
	public String getMissing() {
		return this.missing;
	}

	/** For a 429, when the address may try again. */
	public long getRetryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
