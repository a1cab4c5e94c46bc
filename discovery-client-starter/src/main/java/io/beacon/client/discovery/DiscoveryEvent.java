package io.beacon.client.discovery;

import java.util.List;

import io.beacon.client.ServiceInstance;

/**
 * A change in the cached view of one service, as pushed by the registry.
 *
 * @param service the service
 * @param kind what happened
 * @param instance the instance concerned, {@code null} for {@link Kind#RESYNC}
 * @param upInstances the UP instances of the service after the change
 */
public record DiscoveryEvent(String service, Kind kind, ServiceInstance instance, List<ServiceInstance> upInstances) {

	/**
	 * What happened.
	 */
	public enum Kind {

		/** The whole view was replaced from a registry snapshot or a fetch. */
		RESYNC,

		/** A new instance. */
		REGISTERED,

		/** An instance's status or data changed. */
		UPDATED,

		/** An instance's lease lapsed: it is DOWN. */
		EXPIRED,

		/** An instance left the registry. */
		DEREGISTERED

	}

}
