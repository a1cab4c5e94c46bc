package io.beacon.registry.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of what the registry did, cheap to bump on hot paths and read by metrics.
 */
public final class RegistryStats {

	final LongAdder registrations = new LongAdder();

	final LongAdder heartbeats = new LongAdder();

	final LongAdder lapses = new LongAdder();

	final LongAdder evictions = new LongAdder();

	final LongAdder deregistrations = new LongAdder();

	/** New registrations and re-registrations. */
	public long registrations() {
		return this.registrations.sum();
	}

	/** Accepted heartbeats. */
	public long heartbeats() {
		return this.heartbeats.sum();
	}

	/** Leases that lapsed (instance marked DOWN). */
	public long lapses() {
		return this.lapses.sum();
	}

	/** Instances removed after 3 lease TTLs without a heartbeat. */
	public long evictions() {
		return this.evictions.sum();
	}

	/** Instances deregistered by their clients. */
	public long deregistrations() {
		return this.deregistrations.sum();
	}

	/** Counts a registration made by a store outside this package. */
	public void countRegistration() {
		this.registrations.increment();
	}

	/** Counts an accepted heartbeat. */
	public void countHeartbeat() {
		this.heartbeats.increment();
	}

	/** Counts a lapsed lease. */
	public void countLapse() {
		this.lapses.increment();
	}

	/** Counts an eviction. */
	public void countEviction() {
		this.evictions.increment();
	}

	/** Counts a deregistration. */
	public void countDeregistration() {
		this.deregistrations.increment();
	}

}
