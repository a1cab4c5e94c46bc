package io.beacon.registry.core;

/**
 * Why a change happened; finer than {@link ChangeType}, for people reading the event stream.
 */
public enum ChangeCause {

	/** First registration of the instance. */
	REGISTERED(ChangeType.REGISTERED),

	/** The client registered again with different data. */
	REREGISTERED(ChangeType.UPDATED),

	/** The client reported a new status. */
	STATUS_CHANGED(ChangeType.UPDATED),

	/** The client reported DOWN because its own health checks failed. */
	HEALTH_DOWN(ChangeType.UPDATED),

	/** The client reported UP again because its own health checks passed again. */
	HEALTH_RESTORED(ChangeType.UPDATED),

	/** A heartbeat arrived for a lapsed lease: the instance is back at its last reported status. */
	HEARTBEAT_RESUMED(ChangeType.UPDATED),

	/** No heartbeat within the lease TTL. */
	LEASE_LAPSED(ChangeType.EXPIRED),

	/**
	 * The instance's lease stream closed and was not reopened within the connection grace: its
	 * process most likely died (the kernel closes a dead process's sockets at once).
	 */
	CONNECTION_LOST(ChangeType.EXPIRED),

	/** The client deregistered. */
	DEREGISTERED(ChangeType.DEREGISTERED),

	/** No heartbeat for 3 lease TTLs: removed by the registry. */
	EVICTED(ChangeType.DEREGISTERED);

	private final ChangeType type;

	ChangeCause(ChangeType type) {
		this.type = type;
	}

	public ChangeType type() {
		return this.type;
	}

	/** The lower-case name used on the wire. */
	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
