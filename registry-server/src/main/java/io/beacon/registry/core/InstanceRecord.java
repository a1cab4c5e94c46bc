package io.beacon.registry.core;

import java.time.Instant;

/**
 * The registry's mutable entry for one instance. Heartbeats write {@link #lastHeartbeat} without a
 * lock; everything else changes under the registry lock.
 */
final class InstanceRecord {

	final String instanceId;

	/** Wall-clock time of the first registration, for display. */
	final Instant registeredAt;

	/** The data last registered, including the status the client last reported. */
	volatile InstanceRegistration data;

	/** {@link Ticker} time of the last renewal: what leases are timed by. */
	volatile long lastHeartbeat;

	/** Wall-clock time of the last renewal, in epoch milliseconds, for display only. */
	volatile long lastHeartbeatWallMillis;

	/** The name of the caller that last registered it, {@code null} when nobody was named. */
	volatile String owner;

	/** True while the lease is lapsed: the effective status is DOWN whatever was reported. */
	volatile boolean lapsed;

	/** True once removed from the registry: heartbeats must not keep a removed record alive. */
	volatile boolean removed;

	/**
	 * The highest write sequence applied, {@link Registry#UNSEQUENCED} when no sequenced write was;
	 * under the registry lock.
	 */
	long writeSeq;

	/** Bumped whenever a new lease deadline is queued, so older queued deadlines are ignored. */
	int deadlineGeneration;

	InstanceRecord(InstanceRegistration data, String owner, long wallMillis, long nowNanos) {
		this.instanceId = data.instanceId();
		this.owner = owner;
		this.registeredAt = Instant.ofEpochMilli(wallMillis);
		this.data = data;
		renew(wallMillis, nowNanos);
	}

	/** Records a renewal; the lease time last, as the sweeper re-checks it. */
	void renew(long wallMillis, long nowNanos) {
		this.lastHeartbeatWallMillis = wallMillis;
		this.lastHeartbeat = nowNanos;
	}

	/** Records that a write with this sequence was applied; an unsequenced one leaves it as it was. */
	void applied(long seq) {
		if (seq != Registry.UNSEQUENCED) {
			this.writeSeq = seq;
		}
	}

	InstanceStatus status() {
		return this.lapsed ? InstanceStatus.DOWN : this.data.status();
	}

	long ttlNanos() {
		return this.data.leaseTtl().toNanos();
	}

	Instance view() {
		InstanceRegistration d = this.data;
		return new Instance(this.instanceId, d.service(), d.host(), d.port(), d.secure(), status(), d.zone(),
				d.metadata(), d.leaseTtl(), this.registeredAt, Instant.ofEpochMilli(this.lastHeartbeatWallMillis),
				this.owner);
	}

}
