package io.beacon.client.registration;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import io.beacon.client.InstanceStatus;

/**
 * A snapshot of this instance's registration, for health and the actuator endpoint.
 *
 * @param service the service name
 * @param instanceId the instance id
 * @param state where the registration stands
 * @param status the status this instance reports
 * @param registryReachable whether the last call to the registry got an answer
 * @param registryUrl the registry URL in use
 * @param lastHeartbeat when the registry last accepted a heartbeat (or the registration), or
 * {@code null}
 * @param heartbeatInterval the heartbeat interval, or {@code null} before the registration started
 */
public record RegistrationStatus(String service, String instanceId, RegistrationState state, InstanceStatus status,
		boolean registryReachable, URI registryUrl, Instant lastHeartbeat, Duration heartbeatInterval) {
}
