package io.beacon.registry.core;

/**
 * The kinds of change a watcher is told about. A watcher keeps an instance after every kind but
 * {@link #DEREGISTERED}, which means the instance is gone from the registry.
 */
public enum ChangeType {

	/** A new instance. */
	REGISTERED,

	/** An instance's status or data changed (including a revival by heartbeat). */
	UPDATED,

	/** An instance's lease lapsed: it is now {@link InstanceStatus#DOWN}, still listed. */
	EXPIRED,

	/** An instance left the registry: deregistered by its client, or evicted after 3 lease TTLs. */
	DEREGISTERED;

	/** The lower-case name used on the wire (SSE event names, JSON). */
	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
