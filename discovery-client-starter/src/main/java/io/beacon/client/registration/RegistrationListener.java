package io.beacon.client.registration;

/**
 * Told about registration events, for metrics.
 */
public interface RegistrationListener {

	RegistrationListener NONE = new RegistrationListener() {
	};

	default void onRegistered() {
	}

	default void onHeartbeat(boolean accepted) {
	}

}
