package io.beacon.client.registry;

/**
 * Told about every call to the registry, for metrics.
 */
@FunctionalInterface
public interface RegistryCallListener {

	RegistryCallListener NONE = (operation, outcome, nanos) -> {
	};

	/**
	 * @param operation register, heartbeat, status, deregister, fetch, services or watch
	 * @param outcome success, not_registered, rejected or unavailable
	 * @param nanos how long the call took
	 */
	void onCall(String operation, String outcome, long nanos);

	/** One listener that tells all of {@code listeners}. */
	static RegistryCallListener all(java.util.List<RegistryCallListener> listeners) {
		return (operation, outcome, nanos) -> listeners.forEach((each) -> each.onCall(operation, outcome, nanos));
	}

}
