package io.beacon.client;

/**
 * The status of an instance in the registry. Only {@link #UP} instances are routed to.
 */
public enum InstanceStatus {

	/** Registered, not yet ready for traffic. */
	STARTING,

	/** Ready for traffic. */
	UP,

	/** Shutting down: still serving what it has, not to be chosen for new requests. */
	DRAINING,

	/** Reported down, or its lease lapsed. */
	DOWN

}
