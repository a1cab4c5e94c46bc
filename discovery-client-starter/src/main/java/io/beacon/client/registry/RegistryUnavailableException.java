package io.beacon.client.registry;

/**
 * No registry answered: every configured URL refused, timed out, or failed with a server error.
 */
public class RegistryUnavailableException extends RuntimeException {

	public RegistryUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
