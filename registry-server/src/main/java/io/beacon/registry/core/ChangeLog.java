package io.beacon.registry.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last {@code capacity} changes, so that a watcher that reconnects can be sent what it missed.
 * Indexes of consecutive changes differ by exactly one, which makes a ring buffer enough.
 * Not thread-safe: the registry calls it under its lock.
 */
final class ChangeLog {

	private final ChangeEvent[] ring;

	private long firstIndex = -1;

	private int size;

	ChangeLog(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
		}
		this.ring = new ChangeEvent[capacity];
	}

	void append(ChangeEvent event) {
		if (this.size == 0) {
			this.firstIndex = event.index();
		}
		else if (event.index() != this.firstIndex + this.size) {
			throw new IllegalStateException(
					"change " + event.index() + " does not follow " + (this.firstIndex + this.size - 1));
		}
		this.ring[slot(event.index())] = event;
		if (this.size < this.ring.length) {
			this.size++;
		}
		else {
			this.firstIndex++;
		}
	}

	/**
	 * The changes after {@code index} that match the filter, oldest first.
	 * @param currentIndex the registry's index now
	 * @return the changes, or {@code null} when some of them are no longer held (or the index
	 * comes from another registry's history) and the caller needs a fresh snapshot instead
	 */
	List<ChangeEvent> since(long index, long currentIndex, Predicate<ChangeEvent> filter) {
		if (index == currentIndex) {
			return List.of();
		}
		if (index > currentIndex || this.size == 0 || index < this.firstIndex - 1) {
			return null;
		}
		List<ChangeEvent> missed = new ArrayList<>();
		for (long i = index + 1; i < this.firstIndex + this.size; i++) {
			ChangeEvent event = this.ring[slot(i)];
			if (filter.test(event)) {
				missed.add(event);
			}
		}
		return missed;
	}

	private int slot(long index) {
		return (int) Math.floorMod(index, (long) this.ring.length);
	}

}
