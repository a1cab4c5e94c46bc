package io.beacon.bench.watch;

import java.util.List;

/** Nearest-rank percentiles of a sorted list of microsecond values, in milliseconds. */
final class Percentiles {

	private Percentiles() {
	}

	static double millis(List<Long> sortedMicros, double percentile) {
		if (sortedMicros.isEmpty()) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(percentile / 100 * sortedMicros.size());
		return sortedMicros.get(Math.max(0, Math.min(sortedMicros.size() - 1, rank - 1))) / 1000.0;
	}

}
