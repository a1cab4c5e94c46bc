package io.beacon.registry.etcd;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.beacon.registry.core.Actor;
import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceOwnedException;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.RegistryStats;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.ReplicaView;
import io.beacon.registry.core.StoreUnavailableException;
import io.beacon.registry.core.StoredInstance;
import io.beacon.registry.core.Ticker;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who times which lease, and the timing of the leases this replica owns.
 * <p>
 * Liveness is kept in memory by the replica that receives an instance's heartbeats: it owns the
 * instance (an owner key under its session lease) and alone writes the time-based transitions
 * (lapse, eviction), each conditioned on still owning it. A heartbeat at another replica takes
 * the ownership over in one transaction; otherwise heartbeats never touch etcd. When an owner's
 * session ends its owner keys vanish; each orphan gets one TTL of grace (a heartbeat anywhere
 * claims it) and is then claimed by exactly one replica, which times its lease from when the
 * owner vanished.
 */
final class EtcdLiveness {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLiveness.class);

	private final String replicaId;

	private final ReplicaView view;

	private final EtcdTransactions transactions;

	private final Ticker ticker;

	private final RegistryStats stats;

	/** Owner replica id by {@code service/id}, as etcd says (fed by the watch). */
	private final Map<String, String> owners = new ConcurrentHashMap<>();

	/** Last heartbeat ({@link Ticker} time) of the instances this replica owns. */
	private final Map<String, Long> heartbeats = new ConcurrentHashMap<>();

	/** When an unowned instance was first seen without owner. */
	private final Map<String, Long> orphanedSince = new ConcurrentHashMap<>();

	EtcdLiveness(String replicaId, ReplicaView view, EtcdTransactions transactions, Ticker ticker,
			RegistryStats stats) {
		this.replicaId = replicaId;
		this.view = view;
		this.transactions = transactions;
		this.ticker = ticker;
		this.stats = stats;
	}

	static String name(String service, String instanceId) {
		return service + "/" + instanceId;
	}

	// ---- what etcd says (fed by the follower)

	/**
	 * What etcd holds now, replacing what was known (a load or reload).
	 * @param current the owner of each owned instance
	 * @param instances the names of every instance
	 */
	void reloaded(Map<String, String> current, Set<String> instances) {
		this.owners.keySet().retainAll(current.keySet());
		this.owners.putAll(current);
		this.heartbeats.keySet().retainAll(instances);
		this.orphanedSince.keySet().retainAll(instances);
	}

	void ownerChanged(EtcdEvents.OwnerEvent event) {
		if (event.owner() != null) {
			this.owners.put(event.name(), event.owner());
			this.orphanedSince.remove(event.name());
		}
		else {
			this.owners.remove(event.name());
		}
	}

	/** The instance left the registry: nothing to time any more. */
	void removed(String name) {
		this.heartbeats.remove(name);
		this.orphanedSince.remove(name);
	}

	// ---- heartbeats

	/** A write through this replica (a registration) renewed the lease here. */
	void renewed(String service, String instanceId) {
		this.heartbeats.put(name(service, instanceId), this.ticker.nanos());
	}

	/**
	 * Renews the lease in memory, taking the ownership over first when another replica (or none)
	 * owns the instance.
	 * @return the instance as stored
	 */
	StoredInstance renew(String service, String instanceId, Actor actor) {
		String name = name(service, instanceId);
		Optional<StoredInstance> seen = this.view.stored(service, instanceId);
		if (seen.isPresent() && !actor.mayChange(seen.get().reported().owner())) {
			throw new InstanceOwnedException(service, instanceId);
		}
		if (seen.isEmpty() || !this.replicaId.equals(this.owners.get(name)) || !this.heartbeats.containsKey(name)) {
			// Also when this view has not seen the instance yet: it may have just been registered
			// through another replica, and etcd, not this view, says whether it exists.
			TxnResponse response = this.transactions.commit(new Cmp[] { this.transactions.exists(service, instanceId) },
					this.transactions.ownHere(service, instanceId));
			if (!response.isSucceeded()) {
				throw new InstanceNotFoundException(service, instanceId);
			}
			this.owners.put(name, this.replicaId);
			seen = this.view.stored(service, instanceId);
		}
		StoredInstance stored = seen.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
		if (!actor.mayChange(stored.reported().owner())) {
			throw new InstanceOwnedException(service, instanceId);
		}
		this.heartbeats.put(name, this.ticker.nanos());
		return stored;
	}

	/**
	 * Whether a heartbeat of the instance would only renew its lease here, with no etcd write: this
	 * replica owns it and times its lease, and it is not lapsed (resuming is a write). A hint: the
	 * ownership may move before the heartbeat runs, which then writes as usual.
	 */
	boolean renewsInMemory(String service, String instanceId) {
		String name = name(service, instanceId);
		Optional<StoredInstance> seen = this.view.stored(service, instanceId);
		return seen.isPresent() && !seen.get().lapsed() && this.replicaId.equals(this.owners.get(name))
				&& this.heartbeats.containsKey(name);
	}

	// ---- time-based transitions

	/**
	 * Lapses and evicts the silent instances this replica owns, and claims orphans whose grace
	 * ended. Stops at the first write etcd does not take: the rest wait for the next check.
	 * @return how many instances changed
	 */
	int expireLeases() {
		int changed = 0;
		long now = this.ticker.nanos();
		for (StoredInstance stored : this.view.all()) {
			try {
				if (expire(stored, now)) {
					changed++;
				}
			}
			catch (StoreUnavailableException ex) {
				logger.debug("Lease check of {}/{} deferred: {}", stored.reported().service(),
						stored.reported().instanceId(), ex.getMessage());
				return changed;
			}
		}
		return changed;
	}

	private boolean expire(StoredInstance stored, long now) {
		Instance instance = stored.reported();
		String service = instance.service();
		String name = name(service, instance.instanceId());
		String owner = this.owners.get(name);
		long ttl = instance.leaseTtl().toNanos();
		if (owner == null) {
			long since = this.orphanedSince.computeIfAbsent(name, (n) -> now);
			if (now - since >= ttl) {
				claim(stored, since);
			}
			return false;
		}
		if (!owner.equals(this.replicaId)) {
			removed(name);
			return false;
		}
		long silence = now - this.heartbeats.computeIfAbsent(name, (n) -> now);
		Cmp[] stillMine = { this.transactions.ownedHere(service, instance.instanceId()),
				this.transactions.unchanged(service, instance.instanceId(), stored) };
		if (silence >= RegistryStore.EVICTION_TTL_MULTIPLE * ttl) {
			TxnResponse response = this.transactions.commit(stillMine,
					this.transactions.removal(service, instance.instanceId(), ChangeCause.EVICTED));
			if (response.isSucceeded()) {
				this.heartbeats.remove(name);
				this.stats.countEviction();
				logger.info("Evicted {}: no heartbeat for {} s", name, silence / 1_000_000_000);
			}
			return response.isSucceeded();
		}
		if (!stored.lapsed() && silence >= ttl) {
			TxnResponse response = this.transactions.commit(stillMine,
					this.transactions.put(instance, true, stored.writeSeq(), ChangeCause.LEASE_LAPSED));
			if (response.isSucceeded()) {
				this.stats.countLapse();
				logger.info("Lease of {} lapsed: no heartbeat for {} ms (TTL {}), marked DOWN", name,
						silence / 1_000_000, instance.leaseTtl());
			}
			return response.isSucceeded();
		}
		return false;
	}

	/**
	 * Written only while this replica still owns the instance and nothing changed it since it was
	 * read: a client that reconnected to another replica made that replica the owner (the stream's
	 * open is a heartbeat), and this late report must then change nothing.
	 */
	boolean connectionLost(String service, String instanceId) {
		StoredInstance stored = this.view.stored(service, instanceId).orElse(null);
		if (stored == null || stored.effective().status() == InstanceStatus.DOWN
				|| !this.replicaId.equals(this.owners.get(name(service, instanceId)))) {
			return false;
		}
		TxnResponse response = this.transactions.commit(
				new Cmp[] { this.transactions.ownedHere(service, instanceId),
						this.transactions.unchanged(service, instanceId, stored) },
				this.transactions.put(stored.reported(), true, stored.writeSeq(), ChangeCause.CONNECTION_LOST));
		if (response.isSucceeded()) {
			logger.info("Connection of {}/{} lost and not reopened within the grace: marked DOWN", service,
					instanceId);
		}
		return response.isSucceeded();
	}

	/** Takes over an instance whose owner vanished one TTL ago; exactly one replica succeeds. */
	private void claim(StoredInstance stored, long orphanedAt) {
		String service = stored.reported().service();
		String instanceId = stored.reported().instanceId();
		String name = name(service, instanceId);
		TxnResponse response = this.transactions.commit(
				new Cmp[] { this.transactions.unowned(service, instanceId), this.transactions.exists(service, instanceId) },
				this.transactions.ownHere(service, instanceId));
		if (response.isSucceeded()) {
			// Its lease is timed from when its owner vanished: a heartbeat since would have claimed it.
			this.heartbeats.put(name, orphanedAt);
			this.owners.put(name, this.replicaId);
			this.orphanedSince.remove(name);
			logger.info("Took over the lease of {}: its owner's session ended", name);
		}
	}

}
