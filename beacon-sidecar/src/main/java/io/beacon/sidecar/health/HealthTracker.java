package io.beacon.sidecar.health;

import io.beacon.client.InstanceStatus;

/**
 * Turns probe results into the status to report, with hysteresis: a STARTING app turns UP on its
 * first healthy probe; an UP app turns DOWN only after {@code unhealthyThreshold} unhealthy probes in
 * a row, and a DOWN app UP again only after {@code healthyThreshold} healthy ones in a row. One
 * slow or failed probe between healthy ones changes nothing, so the status does not flap.
 * Not thread-safe: one monitor feeds it, one probe at a time.
 */
public final class HealthTracker {

	private final int healthyThreshold;

	private final int unhealthyThreshold;

	private volatile InstanceStatus status = InstanceStatus.STARTING;

	/** Consecutive probes that disagree with the current status. */
	private int streak;

	public HealthTracker(int healthyThreshold, int unhealthyThreshold) {
		if (healthyThreshold < 1 || unhealthyThreshold < 1) {
			throw new IllegalArgumentException("Thresholds must be 1 or more, got healthy " + healthyThreshold
					+ " and unhealthy " + unhealthyThreshold);
		}
		this.healthyThreshold = healthyThreshold;
		this.unhealthyThreshold = unhealthyThreshold;
	}

	/**
	 * Records one probe.
	 * @return the status after it
	 */
	public InstanceStatus record(boolean healthy) {
		switch (this.status) {
			case STARTING -> {
				if (healthy) {
					this.status = InstanceStatus.UP;
				}
			}
			case UP -> flipAfter(!healthy, this.unhealthyThreshold, InstanceStatus.DOWN);
			case DOWN -> flipAfter(healthy, this.healthyThreshold, InstanceStatus.UP);
			default -> throw new IllegalStateException("The tracker never holds " + this.status);
		}
		return this.status;
	}

	private void flipAfter(boolean disagrees, int threshold, InstanceStatus next) {
		this.streak = disagrees ? this.streak + 1 : 0;
		if (this.streak >= threshold) {
			this.status = next;
			this.streak = 0;
		}
	}

	public InstanceStatus status() {
		return this.status;
	}

}
