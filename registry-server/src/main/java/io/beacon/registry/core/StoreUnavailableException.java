package io.beacon.registry.core;

/**
 * The store cannot take a change now (the shared state it writes to is unreachable or has no
 * quorum). Nothing was changed, or the change's outcome is unknown; the client should retry,
 * possibly at another replica.
 */
public class StoreUnavailableException extends RuntimeException {

	public StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
