package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.ChangeHistory;
import io.beacon.registry.core.Ticker;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * The registry's changes read back from etcd's history: a one-off watch on the prefix from the
 * revision after the one asked for, read until the last change the replica has applied, mapped to
 * changes as the replicas emitted them. etcd reports a compaction when it no longer keeps that
 * revision; a reading that takes longer than the request timeout fails (checked by the periodic
 * lease check, so no thread of its own).
 */
final class EtcdHistory implements ChangeHistory {

	private final Client client;

	private final EtcdRecords records;

	private final Ticker ticker;

	private final Duration timeout;

	private final Set<Reading> readings = ConcurrentHashMap.newKeySet();

	EtcdHistory(Client client, EtcdRecords records, Ticker ticker, Duration timeout) {
		this.client = client;
		this.records = records;
		this.ticker = ticker;
		this.timeout = timeout;
	}

	@Override
	public CompletableFuture<Optional<List<ChangeEvent>>> changes(long after, long through) {
		Reading reading = new Reading(through, this.ticker.nanos() + this.timeout.toNanos());
		this.readings.add(reading);
		Watch.Watcher watcher = this.client.getWatchClient()
			.watch(this.records.root(),
					WatchOption.builder().isPrefix(true).withPrevKV(true).withRevision(after + 1).build(),
					Watch.listener(reading::read, reading::failed));
		reading.result.whenComplete((changes, failure) -> {
			this.readings.remove(reading);
			watcher.close();
		});
		return reading.result;
	}

	/** Fails the readings that took longer than the request timeout. */
	void failOverdue() {
		long now = this.ticker.nanos();
		for (Reading reading : this.readings) {
			if (now - reading.deadline >= 0) {
				reading.result.completeExceptionally(
						new TimeoutException("etcd's history was not read within " + this.timeout));
			}
		}
	}

	/** Fails every reading still going on (the store closes). */
	void close() {
		for (Reading reading : this.readings) {
			reading.result.completeExceptionally(new IllegalStateException("the registry closed"));
		}
	}

	/** Whether etcd refused a watch because it compacted the revision it was to start from. */
	static boolean compacted(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CompactedException) {
				return true;
			}
		}
		return false;
	}

	private final class Reading {

		private final CompletableFuture<Optional<List<ChangeEvent>>> result = new CompletableFuture<>();

		private final List<ChangeEvent> changes = new ArrayList<>();

		private final long through;

		private final long deadline;

		private Reading(long through, long deadline) {
			this.through = through;
			this.deadline = deadline;
		}

		/** One response of the watch: etcd sends the history in order, a revision's events together. */
		private void read(WatchResponse response) {
			if (this.result.isDone()) {
				return;
			}
			EtcdEvents events = EtcdEvents.read(EtcdHistory.this.records, response.getEvents());
			for (EtcdEvents.InstanceEvent event : events.instances) {
				if (event.revision() <= this.through) {
					event.change().ifPresent(this.changes::add);
				}
			}
			if (events.lastRevision >= this.through) {
				this.result.complete(Optional.of(List.copyOf(this.changes)));
			}
		}

		private void failed(Throwable ex) {
			if (compacted(ex)) {
				this.result.complete(Optional.empty());
			}
			else {
				this.result.completeExceptionally(ex);
			}
		}

	}

}
