package io.beacon.registry.core;

import java.util.Map;

/**
 * A service and how many of its instances are in each status.
 *
 * @param service the service name
 * @param total all instances
 * @param counts instances by status, every status present
 */
public record ServiceSummary(String service, int total, Map<InstanceStatus, Integer> counts) {
}
