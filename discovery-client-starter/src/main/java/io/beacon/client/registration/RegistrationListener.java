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

	/** One listener that tells all of {@code listeners}. */
	static RegistrationListener all(java.util.List<RegistrationListener> listeners) {
		return new RegistrationListener() {

			@Override
			public void onRegistered() {
				listeners.forEach(RegistrationListener::onRegistered);
			}

			@Override
			public void onHeartbeat(boolean accepted) {
				listeners.forEach((each) -> each.onHeartbeat(accepted));
			}

		};
	}

}
