package io.beacon.registry.core;

/**
 * Receives what a watch asked for: first its start, then every change in index order, one call at
 * a time. Calls come from whichever thread made the change (the start while the registry holds its
 * lock, or later from the thread that read it from a shared store's history), so an implementation
 * must not block: hand the item to a queue and return.
 * <p>
 * A shared store that lost track of single changes (its history was compacted while this replica
 * was cut off) sends a snapshot again in the middle of the stream: it replaces everything the
 * watcher knew, as a start does.
 */
public interface WatchListener {

	void onStart(WatchStart start);

	void onChange(ChangeEvent event);

}
