package io.beacon.client.registration;

/**
 * What a {@link HealthMonitor} drives: the status this instance reports.
 */
public interface HealthDrivenStatus {

	/** Whether health may change the status now (not while starting or draining). */
	boolean healthApplies();

	/** The application turned healthy or unhealthy (after the monitor's threshold). */
	void reportHealth(boolean healthy);

}
