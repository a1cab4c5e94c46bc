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

	/** How many watch bases the streams were spread over: stream i went to base i mod groups. */
	private final int groups;

	/** Send time (System.nanoTime) of each change, set just before its request is sent. */
	private final AtomicLongArray sentAt;

	/** Delivery delays in microseconds, per change, one slot per stream. */
	private final long[][] delays;

	/** Bumped after each delay is stored, so that reading it publishes the delays. */
	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong unexpected = new AtomicLong();

	/** Adds to a System.nanoTime value to give nanoseconds since the epoch (for the details file). */
	private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

	DeliveryLog(int warmup, int changes, int streams, int groups) {
		this.warmup = warmup;
		this.groups = groups;
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
	 * {@code key=value} lines (and, with several groups, p50/p99 of each group's deliveries and of
	 * its last delivery per change); writes the delay to the last stream per change to {@code details}.
	 */
	void report(PrintStream out, Path details, int failedStreams) throws IOException {
		report(out, details, failedStreams, -1, "watch_");
		if (this.groups > 1) {
			for (int group = 0; group < this.groups; group++) {
				report(out, null, failedStreams, group, "watch_base" + group + "_");
			}
		}
	}

	/** The report over the streams of one group ({@code group} = -1: all streams). */
	private void report(PrintStream out, Path details, int failedStreams, int group, String prefix)
			throws IOException {
		List<Long> all = new ArrayList<>();
		List<Long> lastPerChange = new ArrayList<>();
		List<String> lines = new ArrayList<>();
		long missing = 0;
		this.delivered.get();
		for (int change = this.warmup; change < this.delays.length; change++) {
			long last = -1;
			long[] slots = this.delays[change];
			for (int stream = 0; stream < slots.length; stream++) {
				if (group >= 0 && stream % this.groups != group) {
					continue;
				}
				long delay = slots[stream];
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
		if (group < 0) {
			out.printf(Locale.ROOT, "watch_failed_streams=%d%nwatch_unexpected_events=%d%n", failedStreams,
					this.unexpected.get());
		}
		out.printf(Locale.ROOT, "%1$sdeliveries=%2$d%n%1$smissing=%3$d%n", prefix, all.size(), missing);
		out.printf(Locale.ROOT, "%1$sp50_ms=%2$.2f%n%1$sp99_ms=%3$.2f%n%1$smax_ms=%4$.2f%n", prefix,
				Percentiles.millis(all, 50), Percentiles.millis(all, 99), Percentiles.millis(all, 100));
		out.printf(Locale.ROOT, "%1$sall_streams_p50_ms=%2$.2f%n%1$sall_streams_p99_ms=%3$.2f%n"
				+ "%1$sall_streams_max_ms=%4$.2f%n", prefix, Percentiles.millis(lastPerChange, 50),
				Percentiles.millis(lastPerChange, 99), Percentiles.millis(lastPerChange, 100));
	}

}
