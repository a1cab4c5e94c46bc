package io.beacon.registry.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a shared store keeps its changes for longer than a replica's change log holds them: read
 * when a watcher resumes from further back than the log reaches.
 */
@FunctionalInterface
public interface ChangeHistory {

	/** A store without history of its own: every such watcher gets a snapshot. */
	ChangeHistory NONE = (after, through) -> CompletableFuture.completedFuture(Optional.empty());

	/**
	 * Reads the changes after revision {@code after} through revision {@code through} (the latest
	 * change the reader has applied), oldest first, exactly as every replica emitted them.
	 * @return completes with the changes, or empty when the store no longer has them all (it
	 * compacted its history); fails when they cannot be read now
	 */
	CompletableFuture<Optional<List<ChangeEvent>>> changes(long after, long through);

}
