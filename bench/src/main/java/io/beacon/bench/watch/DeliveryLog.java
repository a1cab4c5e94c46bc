package io.beacon.bench.watch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each change was sent and when each stream delivered it. All slots are allocated up front,
 * so that recording a delivery allocates nothing (the client must not collect garbage during a
 * pass: a pause in the one client JVM would delay all streams at once and be counted as the
 * server's).
 */
final class DeliveryLog {

	private static final long NOT_DELIVERED = Long.MIN_VALUE;

	private final int warmup;

	/** Send time (System.nanoTime) of each change, set just before its request is sent. */
	private final AtomicLongArray sentAt;

	/** Delivery delays in microseconds, per change, one slot per stream. */
	private final long[][] delays;

	/** Bumped after each delay is stored, so that reading it publishes the delays. */
	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong unexpected = new AtomicLong();

	/** Adds to a System.nanoTime value to give nanoseconds since the epoch (for the details file). */
	private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

	DeliveryLog(int warmup, int changes, int streams) {
		this.warmup = warmup;
		this.sentAt = new AtomicLongArray(warmup + changes);
		this.delays = new long[warmup + changes][streams];
		for (long[] slots : this.delays) {
			Arrays.fill(slots, NOT_DELIVERED);
		}
	}

	int changes() {
		return this.delays.length;
	}

	void sent(int change, long nanoTime) {
		this.sentAt.set(change, nanoTime);
	}

	/** Stream {@code stream} delivered its {@code change}-th change event at {@code nanoTime}. */
	void arrived(int stream, int change, long nanoTime) {
		if (change >= this.delays.length) {
			this.unexpected.incrementAndGet();
			return;
		}
		this.delays[change][stream] = (nanoTime - this.sentAt.get(change)) / 1000;
		this.delivered.incrementAndGet();
	}

	void unexpected() {
		this.unexpected.incrementAndGet();
	}

	long delivered() {
		return this.delivered.get();
	}

	/**
	 * Prints p50/p99/max over all measured deliveries and over the last delivery of each change, as
	 * {@code key=value} lines; writes the delay to the last stream per change to {@code details}.
	 */
	void report(PrintStream out, Path details, int failedStreams) throws IOException {
		List<Long> all = new ArrayList<>();
		List<Long> lastPerChange = new ArrayList<>();
		List<String> lines = new ArrayList<>();
		long missing = 0;
		this.delivered.get();
		for (int change = this.warmup; change < this.delays.length; change++) {
			long last = -1;
			for (long delay : this.delays[change]) {
				if (delay == NOT_DELIVERED) {
					missing++;
					continue;
				}
				all.add(delay);
				last = Math.max(last, delay);
			}
			if (last >= 0) {
				lastPerChange.add(last);
				Instant sent = Instant.EPOCH.plusNanos(this.sentAt.get(change) + this.epochOffsetNanos);
				lines.add((change - this.warmup) + " " + sent + " " + last / 1000.0);
			}
		}
		all.sort(null);
		lastPerChange.sort(null);
		if (details != null) {
			Files.write(details, lines);
		}
		out.printf(Locale.ROOT, "watch_deliveries=%d%nwatch_missing=%d%nwatch_failed_streams=%d%n"
				+ "watch_unexpected_events=%d%n", all.size(), missing, failedStreams, this.unexpected.get());
		out.printf(Locale.ROOT, "watch_p50_ms=%.2f%nwatch_p99_ms=%.2f%nwatch_max_ms=%.2f%n",
				Percentiles.millis(all, 50), Percentiles.millis(all, 99), Percentiles.millis(all, 100));
		out.printf(Locale.ROOT, "watch_all_streams_p50_ms=%.2f%nwatch_all_streams_p99_ms=%.2f%n"
				+ "watch_all_streams_max_ms=%.2f%n", Percentiles.millis(lastPerChange, 50),
				Percentiles.millis(lastPerChange, 99), Percentiles.millis(lastPerChange, 100));
	}

}
