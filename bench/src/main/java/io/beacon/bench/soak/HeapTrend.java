package io.beacon.bench.soak;

import java.util.ArrayList;
import java.util.List;

/** The heap samples of a soak and their least-squares slope. */
final class HeapTrend {

	private final List<double[]> points = new ArrayList<>();

	void add(double minute, double heapKb) {
		this.points.add(new double[] { minute, heapKb });
	}

	int samples() {
		return this.points.size();
	}

	/** KB per minute. */
	double slope() {
		double n = this.points.size();
		double sx = 0;
		double sy = 0;
		double sxy = 0;
		double sxx = 0;
		for (double[] p : this.points) {
			sx += p[0];
			sy += p[1];
			sxy += p[0] * p[1];
			sxx += p[0] * p[0];
		}
		double denominator = n * sxx - sx * sx;
		return (denominator == 0) ? 0 : (n * sxy - sx * sy) / denominator;
	}

}
