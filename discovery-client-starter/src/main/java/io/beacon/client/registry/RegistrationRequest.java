package io.beacon.client.registry;

import java.time.Duration;
import java.util.Map;

import io.beacon.client.InstanceStatus;

/**
 * The body of a registration, as the registry's JSON has it (the lease in whole seconds).
 *
 * @param instanceId the instance id
 * @param host the address other services reach this instance at
 * @param port the port
 * @param secure whether it speaks TLS
 * @param status the status to register with
 * @param zone the zone, or {@code null}
 * @param metadata free-form string pairs
 * @param leaseTtlSeconds the lease asked for, in whole seconds
 */
public record RegistrationRequest(String instanceId, String host, int port, boolean secure, InstanceStatus status,
		String zone, Map<String, String> metadata, int leaseTtlSeconds) {

	/** The body for a lease given as a duration (whole seconds: a fraction is dropped). */
	public static RegistrationRequest of(String instanceId, String host, int port, boolean secure,
			InstanceStatus status, String zone, Map<String, String> metadata, Duration leaseTtl) {
		return new RegistrationRequest(instanceId, host, port, secure, status, zone, metadata,
				Math.toIntExact(leaseTtl.toSeconds()));
	}

}
