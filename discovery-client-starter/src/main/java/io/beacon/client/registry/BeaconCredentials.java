package io.beacon.client.registry;

/**
 * The token sent to the registry as {@code Authorization: Bearer <token>}. Asked for on every call
 * and every watch (re)connect, so a bean that reads a rotated token (from a file, a vault) makes
 * the next call, and the retry of a call refused with 401, use the new one. Implementations must
 * never log the token.
 */
@FunctionalInterface
public interface BeaconCredentials {

	/** No token: for a registry with security off. */
	BeaconCredentials NONE = () -> null;

	/**
	 * @return the current token, or {@code null} to send none
	 */
	String token();

	/** A fixed token ({@code beacon.client.token}); blank means none. */
	static BeaconCredentials of(String token) {
		if (token == null || token.isBlank()) {
			return NONE;
		}
		String trimmed = token.trim();
		return () -> trimmed;
	}

}
