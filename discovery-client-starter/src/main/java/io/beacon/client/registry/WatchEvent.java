package io.beacon.client.registry;

import java.util.List;
import java.util.Map;

import io.beacon.client.ServiceInstance;

/**
 * What the registry's watch stream sends.
 */
public sealed interface WatchEvent {

	/** The registry index after this event. */
	long index();

	/**
	 * The whole current state of the watched services.
	 *
	 * @param index the registry index of this state
	 * @param registryId identifies the registry process; a new id means the registry restarted
	 * @param services every instance (any status) by service
	 */
	record Snapshot(long index, String registryId, Map<String, List<ServiceInstance>> services) implements WatchEvent {
	}

	/**
	 * The registry resumed the stream from the index the client gave: nothing was missed.
	 *
	 * @param index the registry index the stream resumed at
	 */
	record Resumed(long index) implements WatchEvent {
	}

	/**
	 * One change.
	 *
	 * @param index the index of this change
	 * @param type registered, updated, expired or deregistered
	 * @param cause why, in finer words
	 * @param instance the instance after the change (as it was, when it left)
	 */
	record Change(long index, String type, String cause, ServiceInstance instance) implements WatchEvent {

		/** Whether the instance left the registry. */
		public boolean isRemoval() {
			return "deregistered".equals(this.type);
		}

	}

}
