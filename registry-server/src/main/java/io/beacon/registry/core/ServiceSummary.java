package io.beacon.registry.core;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A service and how many of its instances are in each status.
 *
 * @param service the service name
 * @param total all instances
 * @param counts instances by status, every status present
 */
public record ServiceSummary(String service, int total, Map<InstanceStatus, Integer> counts) {

	/** The summary of a service whose instances have these statuses; empty when it has none. */
	static Optional<ServiceSummary> of(String service, Collection<InstanceStatus> statuses) {
		if (statuses.isEmpty()) {
			return Optional.empty();
		}
		Map<InstanceStatus, Integer> counts = new EnumMap<>(InstanceStatus.class);
		for (InstanceStatus status : InstanceStatus.values()) {
			counts.put(status, 0);
		}
		for (InstanceStatus status : statuses) {
			counts.merge(status, 1, Integer::sum);
		}
		return Optional.of(new ServiceSummary(service, statuses.size(), counts));
	}

}
