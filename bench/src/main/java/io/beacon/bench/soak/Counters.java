package io.beacon.bench.soak;

import java.util.concurrent.atomic.AtomicLong;

/** What the soak's load did so far. */
final class Counters {

	final AtomicLong registered = new AtomicLong();

	final AtomicLong heartbeats = new AtomicLong();

	/** Heartbeats sent more than one interval after they were due. */
	final AtomicLong late = new AtomicLong();

	final AtomicLong failures = new AtomicLong();

	/** Heartbeats answered 404, after which the instance registered again (as the starter does). */
	final AtomicLong reregistered = new AtomicLong();

	/** Re-registrations with new metadata (each one a change for the watchers). */
	final AtomicLong changes = new AtomicLong();

	/** Named events (snapshot, updated, ...) the watch streams delivered. */
	final AtomicLong watchEvents = new AtomicLong();

}
