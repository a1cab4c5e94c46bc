package io.beacon.client.registration;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers the registrations and status updates of this process's instance, sent as the
 * {@code Beacon-Write-Seq} header: a write whose answer timed out may still reach the registry
 * after the next one, and the registry refuses it then instead of letting it undo the newer write.
 * <p>
 * The numbers must grow across restarts too (a restarted process keeps its instance id), so they
 * start at the start time in epoch milliseconds times 1000, the trick the registry uses for its
 * index: a restarted process starts above every number its previous run sent unless that run
 * averaged over a thousand writes a millisecond (it sends a few a minute), or the wall clock went
 * back between the runs by more than the previous run lasted. The numbers stay below 2^53, so they
 * read exactly wherever they are handled as JSON numbers.
 */
final class WriteSequence {

	private final AtomicLong last;

	WriteSequence(Clock clock) {
		this.last = new AtomicLong(clock.millis() * 1000);
	}

	/** The number of the next write, above every one handed out before. */
	long next() {
		return this.last.incrementAndGet();
	}

}
