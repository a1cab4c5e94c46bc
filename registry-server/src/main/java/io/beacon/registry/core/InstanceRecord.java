package io.beacon.registry.core;

import java.time.Instant;

/**
 * The registry's mutable entry for one instance. Heartbeats write {@link #lastHeartbeat} without a
 * lock; everything else changes under the registry lock.
 */
final class InstanceRecord {

	final String instanceId;

	final long registeredAt;

	/** The data last registered, including the status the client last reported. */
	volatile InstanceRegistration data;

	volatile long lastHeartbeat;

	/** The name of the caller that last registered it, {@code null} when nobody was named. */
	volatile String owner;

	/** True while the lease is lapsed: the effective status is DOWN whatever was reported. */
	volatile boolean lapsed;

	/** True once removed from the registry: heartbeats must not keep a removed record alive. */
	volatile boolean removed;

	/** Bumped whenever a new lease deadline is queued, so older queued deadlines are ignored. */
	int deadlineGeneration;

	InstanceRecord(InstanceRegistration data, String owner, long now) {
		this.instanceId = data.instanceId();
		this.owner = owner;
		this.registeredAt = now;
		this.data = data;
		this.lastHeartbeat = now;
	}

	InstanceStatus status() {
		return this.lapsed ? InstanceStatus.DOWN : this.data.status();
	}

	long ttlMillis() {
		return this.data.leaseTtlSeconds() * 1000L;
	}

	Instance view() {
		InstanceRegistration d = this.data;
		return new Instance(this.instanceId, d.service(), d.host(), d.port(), d.secure(), status(), d.zone(),
				d.metadata(), d.leaseTtlSeconds(), Instant.ofEpochMilli(this.registeredAt),
				Instant.ofEpochMilli(this.lastHeartbeat), this.owner);
	}

}
