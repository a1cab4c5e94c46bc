package io.beacon.client.actuate;

import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.client.registration.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

/**
 * Checks one health group (or contributor) of the application through Boot's health endpoint: UP
 * and UNKNOWN are healthy, DOWN and OUT_OF_SERVICE (and any custom status) are not. A group that does
 * not exist is logged once and counts as healthy, so a misspelt group never takes an instance DOWN.
 */
public final class HealthGroupCheck implements HealthCheck {

	private static final Logger logger = LoggerFactory.getLogger(HealthGroupCheck.class);

	private final HealthEndpoint endpoint;

	private final String group;

	private final AtomicBoolean missingLogged = new AtomicBoolean();

	public HealthGroupCheck(HealthEndpoint endpoint, String group) {
		this.endpoint = endpoint;
		this.group = group;
	}

	@Override
	public boolean isHealthy() {
		HealthDescriptor health = this.endpoint.healthForPath(this.group);
		if (health == null) {
			if (this.missingLogged.compareAndSet(false, true)) {
				logger.info("beacon.client.health.group '{}' is no health group or contributor of this application: "
						+ "health does not drive the registered status (define the group, e.g. "
						+ "management.endpoint.health.probes.enabled=true for 'readiness')", this.group);
			}
			return true;
		}
		Status status = health.getStatus();
		return Status.UP.equals(status) || Status.UNKNOWN.equals(status);
	}

	@Override
	public String toString() {
		return "group '" + this.group + "'";
	}

}
