package io.beacon.systemtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Delays measured over repeated runs of one scenario, summed up as nearest-rank percentiles (with
 * 20 runs, p99 is the largest).
 */
final class Latencies {

	private final List<Long> millis = new ArrayList<>();

	/** Adds the delay from {@code since} (a {@link System#nanoTime()}) to {@code until}. */
	void add(long since, long until) {
		this.millis.add((until - since) / 1_000_000);
	}

	long percentile(double percent) {
		List<Long> sorted = this.millis.stream().sorted().toList();
		int rank = (int) Math.ceil(percent / 100 * sorted.size());
		return sorted.get(Math.max(rank, 1) - 1);
	}

	/** {@code p50=... p99=... max=... ms} and every value in the order measured. */
	String summary() {
		if (this.millis.isEmpty()) {
			return "none";
		}
		return String.format(Locale.ROOT, "p50=%d p99=%d max=%d ms over %d %s", percentile(50), percentile(99),
				percentile(100), this.millis.size(), this.millis);
	}

}
