package io.beacon.registry.core;

/**
 * Receives what a watch asked for: first its start, then every change in index order, one call at
 * a time. Calls come from whichever thread made the change (the start while the registry holds its
 * lock), so an implementation must not block: hand the item to a queue and return.
 */
public interface WatchListener {

	void onStart(WatchStart start);

	void onChange(ChangeEvent event);

}
