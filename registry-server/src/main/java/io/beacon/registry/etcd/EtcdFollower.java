package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.beacon.registry.core.ReplicaView;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the registry's prefix in etcd with one watch, into this replica's {@link ReplicaView}
 * and {@link EtcdLiveness}. A watch that breaks is reopened from the revision after the last one
 * applied, so nothing is missed; when etcd no longer has that revision (it compacted its history
 * while this replica was cut off) the view is reloaded from a fresh read and every watcher is sent
 * the new state as a snapshot.
 */
final class EtcdFollower implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdFollower.class);

	private final Client client;

	private final EtcdRecords records;

	private final EtcdSession session;

	private final ReplicaView view;

	private final EtcdLiveness liveness;

	private final Duration requestTimeout;

	private volatile Watch.Watcher watcher;

	/** Set when the watch reported an error: the view no longer follows etcd until it is reopened. */
	private volatile boolean broken;

	/** Set when etcd compacted the revision the watch must continue from. */
	private volatile boolean compacted;

	/** Whether the watch failed since it last delivered something (to log an outage once). */
	private volatile boolean failing;

	/** Numbers the watches opened, so a late failure of an older one is ignored. */
	private final AtomicLong generation = new AtomicLong();

	/** The newest watch that failed. */
	private volatile long failedGeneration = -1;

	/** Set while a reopened watch waits for etcd to confirm it has a quorum. */
	private final AtomicBoolean confirming = new AtomicBoolean();

	EtcdFollower(Client client, EtcdRecords records, EtcdSession session, ReplicaView view, EtcdLiveness liveness,
			Duration requestTimeout) {
		this.client = client;
		this.records = records;
		this.session = session;
		this.view = view;
		this.liveness = liveness;
		this.requestTimeout = requestTimeout;
	}

	/** Starts following from {@code revision}. */
	long start(long revision) {
		long opened = this.generation.incrementAndGet();
		// A member cut off from its leader would keep the watch open and deliver nothing:
		// requiring a leader makes etcd end it instead, so the view is known to be stale.
		this.watcher = this.client.getWatchClient()
			.watch(this.records.root(),
					WatchOption.builder()
						.isPrefix(true)
						.withPrevKV(true)
						.withRevision(revision)
						.withRequireLeader(true)
						.build(),
					Watch.listener(this::apply, (ex) -> failed(opened, ex)));
		return opened;
	}

	private void apply(WatchResponse response) {
		this.session.contact();
		if (this.failing) {
			this.failing = false;
			logger.info("The etcd watch follows again from revision {}", this.view.revision() + 1);
		}
		EtcdEvents events = EtcdEvents.read(this.records, response.getEvents());
		// Owners first: an instance and its owner written in one transaction are seen together.
		events.owners.forEach(this.liveness::ownerChanged);
		for (EtcdEvents.InstanceEvent event : events.instances) {
			if (event.after() != null) {
				this.view.applyPut(event.after(), event.cause());
			}
			else {
				this.view.applyDelete(event.service(), event.instanceId(), event.cause(), event.revision());
				this.liveness.removed(event.name());
			}
		}
		if (events.lastRevision > 0) {
			this.view.advance(events.lastRevision);
		}
	}

	private void failed(long opened, Throwable ex) {
		if (opened != this.generation.get()) {
			return;
		}
		this.failedGeneration = opened;
		boolean compaction = EtcdHistory.compacted(ex);
		if (!this.failing) {
			logger.warn("The etcd watch broke at revision {}: {}; reads are stale until it is reopened",
					this.view.revision(), compaction ? "etcd compacted the revisions after it" : ex.toString());
		}
		this.failing = true;
		this.compacted |= compaction;
		this.broken = true;
	}

	/** Whether the view has stopped following etcd (until {@link #repair()} reopens the watch). */
	boolean broken() {
		return this.broken;
	}

	/**
	 * Reopens a broken watch from the revision after the last one applied, or after a reload when
	 * etcd compacted that revision. Events seen twice are harmless: the view ignores revisions it
	 * already has. Called by the periodic lease check.
	 */
	void repair() {
		if (!this.broken || this.confirming.get()) {
			return;
		}
		if (this.compacted) {
			reload();
			return;
		}
		this.watcher.close();
		long opened = start(this.view.revision() + 1);
		confirm(opened);
	}

	/**
	 * The reopened watch counts (the view is no longer stale) once etcd answers a read that needs
	 * its quorum and the watch has not failed meanwhile; until then reads stay marked stale and
	 * health DOWN, rather than flipping back while etcd has no quorum. Unconfirmed, the next
	 * {@link #repair()} tries again.
	 */
	private void confirm(long opened) {
		this.confirming.set(true);
		this.client.getKVClient()
			.get(this.records.root(), GetOption.builder().withCountOnly(true).build())
			.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((response, ex) -> {
				if (ex == null && this.failedGeneration != opened && opened == this.generation.get()) {
					this.broken = false;
					logger.debug("The etcd watch reopened from revision {}", this.view.revision() + 1);
				}
				this.confirming.set(false);
			});
	}

	private void reload() {
		EtcdState state;
		try {
			state = EtcdState.read(this.client, this.records, this.requestTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			logger.debug("The registry could not be reloaded from etcd yet: {}", ex.toString());
			return;
		}
		this.watcher.close();
		this.compacted = false;
		this.broken = false;
		this.liveness.reloaded(state.owners(), state.names());
		this.view.reload(state.instances(), state.revision(), state.lastChange());
		start(state.revision() + 1);
		logger.warn("etcd compacted the changes this replica missed: reloaded {} instances at revision {} and sent "
				+ "every watcher a snapshot", state.instances().size(), state.revision());
	}

	@Override
	public void close() {
		this.watcher.close();
	}

}
