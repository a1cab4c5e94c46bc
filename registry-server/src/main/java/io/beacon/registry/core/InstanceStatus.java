package io.beacon.registry.core;

/**
 * The lifecycle state of a registered instance. Only {@link #UP} instances are routable.
 */
public enum InstanceStatus {

	/** Registered but not yet ready for traffic. */
	STARTING,

	/** Ready for traffic: the only status callers are routed to. */
	UP,

	/** Shutting down: alive and finishing work, but no longer to be chosen. */
	DRAINING,

	/** Reported down by the instance, or its lease lapsed. */
	DOWN;

	/**
	 * Parses a status name as sent by clients (exact upper-case name).
	 * @return the status, or {@code null} when the text names none
	 */
	public static InstanceStatus parse(String text) {
		for (InstanceStatus status : values()) {
			if (status.name().equals(text)) {
				return status;
			}
		}
		return null;
	}

}
