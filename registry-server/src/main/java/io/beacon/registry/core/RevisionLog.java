package io.beacon.registry.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last {@code capacity} changes of a shared store, whose revisions grow but skip numbers
 * (the store also counts writes that are not instance changes). It knows every change after
 * {@link #coveredFrom}: the revision it started at, or the last change it dropped. Not
 * thread-safe: used under the view's lock.
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
		java.util.Collections.reverse(missed);
		return missed;
	}

}
