package io.beacon.client.registration;

/**
 * Where this instance stands with the registry.
 */
public enum RegistrationState {

	/** Not started yet. */
	IDLE,

	/** Trying to register (the registry has not accepted it yet). */
	REGISTERING,

	/** Registered and heartbeating. */
	REGISTERED,

	/** Deregistered on shutdown: no more calls to the registry. */
	DEREGISTERED

}
