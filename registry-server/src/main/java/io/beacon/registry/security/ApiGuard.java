package io.beacon.registry.security;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The API's access check: one call per request, before the endpoint runs. With security off it
 * admits everyone as {@link Caller#ANONYMOUS} without reading the request. With security on it
 * takes exactly one {@code Authorization: Bearer <token>} header, finds the token's caller, and
 * checks the role (and, for changes, the service) the operation needs; ownership of an instance is
 * checked by the registry under its lock, through {@link Caller#mayChange}.
 * <p>
 * Refusals are thrown as {@link AccessRefusedException}: 401 for missing, malformed or unknown
 * credentials, 403 for a missing role or service, 429 for an address sending too many bad tokens.
 */
public final class ApiGuard {

	/** Longer than any token the README tells you to make; longer ones are refused unhashed. */
	static final int MAX_TOKEN_LENGTH = 512;

	private static final String SCHEME = "Bearer ";

	private final TokenStore tokens;

	private final BadTokenLimiter limiter;

	private final Refusals refusals;

	private ApiGuard(TokenStore tokens, BadTokenLimiter limiter) {
		this.tokens = tokens;
		this.limiter = limiter;
		this.refusals = (tokens != null) ? tokens.refusals() : Refusals.NONE;
	}

	/** A guard that admits everyone (security off). */
	public static ApiGuard open() {
		return new ApiGuard(null, null);
	}

	/**
	 * A guard that admits only configured tokens.
	 * @param badTokenLimit bad tokens one address may send per window before it gets 429s
	 */
	public static ApiGuard of(TokenStore tokens, Clock clock, int badTokenLimit, Duration badTokenWindow) {
		if (tokens.size() == 0) {
			throw new IllegalArgumentException(
					"beacon.registry.security.enabled is true but beacon.registry.security.tokens is empty: "
							+ "nobody could use the API");
		}
		return new ApiGuard(tokens, new BadTokenLimiter(clock, badTokenLimit, badTokenWindow, 10_000));
	}

	public boolean enabled() {
		return this.tokens != null;
	}

	/**
	 * Admits a request or refuses it.
	 * @return who made it
	 * @throws AccessRefusedException when it is refused; nothing has been done for it
	 */
	public Caller admit(Operation operation, GuardedRequest request) {
		if (this.tokens == null) {
			return Caller.ANONYMOUS;
		}
		Caller caller = authenticate(request);
		authorize(caller, operation, request);
		return caller;
	}

	private Caller authenticate(GuardedRequest request) {
		if (hasTokenInQuery(request.rawQuery())) {
			throw refuse(Refusal.TOKEN_IN_QUERY,
					"Tokens are accepted only in the Authorization header (Authorization: Bearer <token>), "
							+ "never in the query string");
		}
		List<String> headers = request.authorizations();
		if (headers.isEmpty()) {
			throw refuse(Refusal.MISSING_CREDENTIALS,
					"This registry needs a token: send Authorization: Bearer <token>");
		}
		String address = request.remoteAddress();
		String token = bearerToken(headers);
		Caller caller = (token != null) ? this.tokens.find(token) : null;
		if (caller != null) {
			return caller;
		}
		long blockedFor = this.limiter.blockedFor(address);
		if (blockedFor > 0) {
			this.refusals.refused(Refusal.RATE_LIMITED);
			throw AccessRefusedException.rateLimited(blockedFor);
		}
		this.limiter.recordBadToken(address);
		if (token == null) {
			throw refuse(Refusal.MALFORMED_CREDENTIALS, malformedDetail(headers));
		}
		throw refuse(Refusal.UNKNOWN_TOKEN, "The bearer token is not one this registry knows");
	}

	/** The token of the single, well-formed {@code Bearer} header, or {@code null}. */
	private static String bearerToken(List<String> headers) {
		if (headers.size() != 1) {
			return null;
		}
		String header = headers.get(0);
		if (!header.startsWith(SCHEME) || header.length() > SCHEME.length() + MAX_TOKEN_LENGTH) {
			return null;
		}
		String token = header.substring(SCHEME.length());
		return isToken68(token) ? token : null;
	}

	private static String malformedDetail(List<String> headers) {
		if (headers.size() != 1) {
			return "Send exactly one Authorization header (got " + headers.size() + ")";
		}
		String header = headers.get(0);
		if (!header.startsWith(SCHEME)) {
			return "The Authorization header must be 'Bearer <token>', with 'Bearer' written exactly so";
		}
		if (header.length() > SCHEME.length() + MAX_TOKEN_LENGTH) {
			return "The bearer token is longer than " + MAX_TOKEN_LENGTH + " characters";
		}
		return "The bearer token must be one word of letters, digits and -._~+/ (RFC 6750)";
	}

	/** RFC 6750 b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
	private static boolean isToken68(String token) {
		int length = token.length();
		int end = length;
		while (end > 0 && token.charAt(end - 1) == '=') {
			end--;
		}
		if (end == 0) {
			return false;
		}
		for (int i = 0; i < end; i++) {
			char c = token.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	/** Whether the query names a parameter commonly used for tokens. */
	static boolean hasTokenInQuery(String query) {
		if (query == null || query.isEmpty()) {
			return false;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = (equals >= 0) ? pair.substring(0, equals) : pair;
			if (name.equalsIgnoreCase("access_token") || name.equalsIgnoreCase("token")
					|| name.equalsIgnoreCase("bearer")) {
				return true;
			}
		}
		return false;
	}

	private void authorize(Caller caller, Operation operation, GuardedRequest request) {
		if (caller.has(Role.ADMIN)) {
			return;
		}
		switch (operation) {
			case IDENTIFY -> {
			}
			case READ -> requireRole(caller, Role.READ, "read services, instances or changes");
			case ADMIN -> requireRole(caller, Role.ADMIN, "use this endpoint");
			case WRITE -> {
				requireRole(caller, Role.REGISTER, "register or change instances");
				String service = request.service();
				if (!caller.mayRegister(service)) {
					this.refusals.refused(Refusal.SERVICE);
					throw AccessRefusedException.forbidden(Refusal.SERVICE,
							"Token '" + caller.displayName() + "' may not register or change instances of service '"
									+ service + "'; its services are " + caller.servicePatterns(),
							"service " + service);
				}
			}
		}
	}

	private void requireRole(Caller caller, Role role, String purpose) {
		if (!caller.has(role)) {
			this.refusals.refused(Refusal.ROLE);
			throw AccessRefusedException.forbidden(Refusal.ROLE, "Token '" + caller.displayName() + "' lacks the role '"
					+ role.label() + "' needed to " + purpose + "; it has " + caller.roleLabels(), "role " + role.label());
		}
	}

	private AccessRefusedException refuse(Refusal reason, String detail) {
		this.refusals.refused(reason);
		return AccessRefusedException.unauthenticated(reason, detail);
	}

}
