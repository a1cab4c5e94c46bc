package io.beacon.client.registry;

import java.time.Duration;

/**
 * What the registry says when it binds an instance's liveness to its lease stream.
 *
 * @param instanceId the instance
 * @param grace how long the stream may stay closed before the registry marks the instance DOWN
 * @param keepAlive how often the registry sends a keep-alive on the stream
 */
public record LeaseBinding(String instanceId, Duration grace, Duration keepAlive) {

}
