package io.beacon.registry.core;

import java.util.PriorityQueue;

/**
 * When each lease must next be looked at, earliest first. Heartbeats never touch this queue: a
 * deadline is queued when a lease starts, and when it comes due the registry checks the real
 * last heartbeat and queues the next deadline. So each instance costs one queue operation per TTL,
 * not one per heartbeat, and a lapse is still seen at the sweep right after it happens, whatever
 * the TTL. Not thread-safe: used under the registry lock.
 */
final class LeaseDeadlines {

	private final PriorityQueue<Deadline> queue = new PriorityQueue<>();

	void schedule(InstanceRecord record, long dueAt) {
		record.deadlineGeneration++;
		this.queue.add(new Deadline(dueAt, record, record.deadlineGeneration));
	}

	/**
	 * Takes the next deadline due at or before {@code now} ({@link Ticker} time) that is still current.
	 * @return its record, or {@code null} when none is due
	 */
	InstanceRecord pollDue(long now) {
		Deadline head;
		while ((head = this.queue.peek()) != null && head.dueAt - now <= 0) {
			this.queue.poll();
			if (head.generation == head.record.deadlineGeneration && !head.record.removed) {
				return head.record;
			}
		}
		return null;
	}

	int size() {
		return this.queue.size();
	}

	/**
	 * Drops deadlines that no longer count (superseded, or of removed instances) once they
	 * outnumber the live ones, so churn with long TTLs cannot grow the queue without bound.
	 */
	void compactIfBloated(int live) {
		if (this.queue.size() <= 2 * live + 1024) {
			return;
		}
		this.queue.removeIf((deadline) -> deadline.generation != deadline.record.deadlineGeneration
				|| deadline.record.removed);
	}

	private record Deadline(long dueAt, InstanceRecord record, int generation) implements Comparable<Deadline> {

		@Override
		public int compareTo(Deadline other) {
			// Ticker times are compared by difference, which stays right across a numeric overflow.
			return Long.signum(this.dueAt - other.dueAt);
		}

	}

}
