package io.beacon.client.registration;

/**
 * One check of the application's own health. It may block; a {@link HealthMonitor} runs it on its
 * own thread and counts a check that throws, or does not answer within the timeout, as unhealthy.
 */
@FunctionalInterface
public interface HealthCheck {

	boolean isHealthy();

}
