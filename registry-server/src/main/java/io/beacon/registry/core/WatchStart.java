package io.beacon.registry.core;

import java.util.List;
import java.util.Map;

/**
 * What a new watch is sent before live changes: either the changes it missed since the index it
 * gave, or, when those are no longer known, the full current state of the watched services.
 */
public sealed interface WatchStart {

	/** The registry index this start brings the watcher up to. */
	long index();

	/**
	 * The current state: every instance (any status) of the watched services.
	 *
	 * @param index the registry index of this state
	 * @param registryId identifies this registry process; a new id means the registry restarted
	 * @param services instances by service name, services in name order
	 */
	record Snapshot(long index, String registryId, Map<String, List<Instance>> services) implements WatchStart {
	}

	/**
	 * The changes the watcher missed, oldest first (possibly none).
	 *
	 * @param index the registry index after the last of them
	 * @param changes the missed changes of the watched services
	 */
	record Replay(long index, List<ChangeEvent> changes) implements WatchStart {
	}

}
