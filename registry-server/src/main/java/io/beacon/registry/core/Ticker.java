package io.beacon.registry.core;

/**
 * A monotonic time source: nanoseconds from an arbitrary origin, for measuring how long ago
 * something happened. Leases are timed by it, never by the wall clock, so stepping the wall clock
 * (NTP, a VM resumed) neither lapses nor extends a lease; the wall clock is read only for the times
 * an instance shows.
 */
@FunctionalInterface
public interface Ticker {

	/** Nanoseconds since an arbitrary, fixed origin; only differences mean anything. */
	long nanos();

	/** The JVM's monotonic clock, {@link System#nanoTime()}. */
	static Ticker system() {
		return System::nanoTime;
	}

}
