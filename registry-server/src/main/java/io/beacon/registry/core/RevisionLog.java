package io.beacon.registry.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last {@code capacity} changes of a store, so that a watcher that reconnects can be sent what
 * it missed. Indexes grow but may skip numbers (a shared store's revisions also count writes that
 * are not instance changes). It knows every change after {@link #coveredFrom}: the index it
 * started at, or the last change it dropped. Not thread-safe: used under the store's lock.
 */
final class RevisionLog {

	private final ArrayDeque<ChangeEvent> events = new ArrayDeque<>();

	private final int capacity;

	private long coveredFrom;

	RevisionLog(int capacity, long startRevision) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
		}
		this.capacity = capacity;
		this.coveredFrom = startRevision;
	}

	void append(ChangeEvent event) {
		if (this.events.size() == this.capacity) {
			this.coveredFrom = this.events.removeFirst().index();
		}
		this.events.addLast(event);
	}

	/**
	 * The changes after {@code index} that match the filter, oldest first, or {@code null} when some
	 * of them are no longer held (or {@code index} is not of this history) and a snapshot is needed.
	 */
	List<ChangeEvent> since(long index, long currentIndex, Predicate<ChangeEvent> filter) {
		if (index == currentIndex) {
			return List.of();
		}
		if (index > currentIndex || index < this.coveredFrom) {
			return null;
		}
		List<ChangeEvent> missed = new ArrayList<>();
		Iterator<ChangeEvent> newestFirst = this.events.descendingIterator();
		while (newestFirst.hasNext()) {
			ChangeEvent event = newestFirst.next();
			if (event.index() <= index) {
				break;
			}
			if (filter.test(event)) {
				missed.add(event);
			}
		}
		Collections.reverse(missed);
		return missed;
	}

}
