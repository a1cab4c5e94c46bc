package io.beacon.client.registry;

import java.util.Map;

import io.beacon.client.InstanceStatus;

/**
 * The body of a registration.
 *
 * @param instanceId the instance id
 * @param host the address other services reach this instance at
 * @param port the port
 * @param secure whether it speaks TLS
 * @param status the status to register with
 * @param zone the zone, or {@code null}
 * @param metadata free-form string pairs
 * @param leaseTtlSeconds the lease asked for
 */
public record RegistrationRequest(String instanceId, String host, int port, boolean secure, InstanceStatus status,
		String zone, Map<String, String> metadata, int leaseTtlSeconds) {
}
