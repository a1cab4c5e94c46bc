package io.beacon.bench.watch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.bench.http.SseEventScanner;

/**
 * One stream's progress: its snapshot opens it, and its n-th {@code updated} event is the n-th
 * change (nothing else changes the watched service). Called on the streams' event loop only.
 */
final class WatchedStream implements SseEventScanner.Listener {

	private final int index;

	private final DeliveryLog log;

	private final CountDownLatch snapshots;

	private final Semaphore opening;

	private final AtomicInteger failed;

	private boolean opened;

	private int updates;

	WatchedStream(int index, DeliveryLog log, CountDownLatch snapshots, Semaphore opening, AtomicInteger failed) {
		this.index = index;
		this.log = log;
		this.snapshots = snapshots;
		this.opening = opening;
		this.failed = failed;
	}

	@Override
	public void eventEnded(SseEventScanner.Kind kind, long nanoTime) {
		switch (kind) {
			case SNAPSHOT -> {
				if (!this.opened) {
					opened();
				}
			}
			case UPDATED -> this.log.arrived(this.index, this.updates++, nanoTime);
			case OTHER -> this.log.unexpected();
			case UNNAMED -> {
				// keep-alive
			}
		}
	}

	/** The stream failed or ended: before its snapshot, it counts as a stream that could not be opened. */
	void ended(Throwable error) {
		if (!this.opened) {
			this.failed.incrementAndGet();
			opened();
			if (error != null) {
				System.err.println("stream " + this.index + " failed: " + error);
			}
		}
	}

	private void opened() {
		this.opened = true;
		this.snapshots.countDown();
		this.opening.release();
	}

}
