package io.beacon.registry.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's read-only copy of a shared store's instances, fed in revision order by whatever
 * follows the store (one watch on its key prefix), and answering every read and watch from memory.
 * The store's revision is the index: each applied change is a {@link ChangeEvent} carrying the
 * revision that made it, so indexes mean the same on every replica of one store and a watcher can
 * resume on any of them. A watcher resuming from further back than this view's change log is
 * replayed the changes from the store's {@link ChangeHistory}, and sent a snapshot only when the
 * store no longer has them.
 */
public final class ReplicaView {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaView.class);

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition advanced = this.lock.newCondition();

	private final Map<String, Map<String, StoredInstance>> services = new ConcurrentHashMap<>();

	private final WatchHub watches;

	private final WatchHub.State state = new WatchHub.State() {

		@Override
		public Iterable<String> serviceNames() {
			return ReplicaView.this.services.keySet();
		}

		@Override
		public List<Instance> instances(String service) {
			return service(service, (status) -> true).instances();
		}

	};

	private final int changeLogCapacity;

	private final ChangeHistory history;

	private RevisionLog log;

	private volatile long revision;

	/** The revision of the latest instance change applied (puts that change nothing count too). */
	private long lastChange;

	/**
	 * @param registryId names the shared history this view follows (sent with snapshots)
	 * @param changeLogCapacity how many recent changes are kept for watchers that resume here
	 * @param history where older changes are read from
	 * @param loaded the instances as the store held them at {@code revision}
	 * @param revision the store revision of {@code loaded}
	 * @param lastChange the revision of the latest instance change up to {@code revision}
	 */
	public ReplicaView(String registryId, int changeLogCapacity, ChangeHistory history, List<StoredInstance> loaded,
			long revision, long lastChange) {
		this.watches = new WatchHub(registryId);
		this.changeLogCapacity = changeLogCapacity;
		this.history = history;
		this.log = new RevisionLog(changeLogCapacity, revision);
		this.revision = revision;
		this.lastChange = lastChange;
		for (StoredInstance stored : loaded) {
			instancesOf(stored.reported().service()).put(stored.reported().instanceId(), stored);
		}
	}

	private Map<String, StoredInstance> instancesOf(String service) {
		return this.services.computeIfAbsent(service, (key) -> new ConcurrentHashMap<>());
	}

	/**
	 * The change a watcher is told of when an instance is stored: none when readers see it as
	 * before (a write that only moved bookkeeping, such as the write sequence). Every replica,
	 * and a replay from the store's history, decides it this way, so all emit the same changes.
	 * @param before the instance as stored until then, or null when it is new
	 */
	public static Optional<ChangeEvent> changeOf(StoredInstance before, StoredInstance after, ChangeCause cause) {
		if (before != null && before.effective().equals(after.effective())) {
			return Optional.empty();
		}
		return Optional.of(new ChangeEvent(after.revision(), cause, after.effective()));
	}

	/** An instance was stored (created or changed) at {@code revision}. */
	public void applyPut(StoredInstance stored, ChangeCause cause) {
		Instance instance = stored.reported();
		this.lock.lock();
		try {
			if (stored.revision() <= this.revision) {
				return;
			}
			StoredInstance before = instancesOf(instance.service()).put(instance.instanceId(), stored);
			this.lastChange = stored.revision();
			Optional<ChangeEvent> change = changeOf(before, stored, cause);
			if (change.isPresent()) {
				publish(change.get());
			}
			else {
				advanceTo(stored.revision());
			}
		}
		finally {
			this.lock.unlock();
		}
		this.watches.drain();
	}

	/** An instance was removed from the store at {@code revision}. */
	public void applyDelete(String service, String instanceId, ChangeCause cause, long revision) {
		this.lock.lock();
		try {
			if (revision <= this.revision) {
				return;
			}
			Map<String, StoredInstance> instances = this.services.get(service);
			StoredInstance gone = (instances != null) ? instances.remove(instanceId) : null;
			if (instances != null && instances.isEmpty()) {
				this.services.remove(service, instances);
			}
			this.lastChange = revision;
			if (gone != null) {
				publish(new ChangeEvent(revision, cause, gone.effective()));
			}
			else {
				advanceTo(revision);
			}
		}
		finally {
			this.lock.unlock();
		}
		this.watches.drain();
	}

	/** The store moved to {@code revision} without changing an instance (a progress notice). */
	public void advance(long revision) {
		this.lock.lock();
		try {
			if (revision > this.revision) {
				advanceTo(revision);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Replaces the whole view with the store's state at {@code revision}, when the single changes
	 * that led there can no longer be read (the store compacted them): every open watch is sent
	 * this state as a fresh snapshot, and the change log starts anew from it.
	 * @param lastChange the revision of the latest instance change up to {@code revision}
	 */
	public void reload(List<StoredInstance> loaded, long revision, long lastChange) {
		Map<String, Map<String, StoredInstance>> fresh = new HashMap<>();
		for (StoredInstance stored : loaded) {
			fresh.computeIfAbsent(stored.reported().service(), (key) -> new ConcurrentHashMap<>())
				.put(stored.reported().instanceId(), stored);
		}
		this.lock.lock();
		try {
			this.services.keySet().retainAll(fresh.keySet());
			this.services.putAll(fresh);
			this.log = new RevisionLog(this.changeLogCapacity, revision);
			this.lastChange = lastChange;
			advanceTo(revision);
			this.watches.reset(revision, this.state);
		}
		finally {
			this.lock.unlock();
		}
		this.watches.drain();
	}

	private void publish(ChangeEvent event) {
		this.log.append(event);
		this.watches.publish(event);
		advanceTo(event.index());
	}

	private void advanceTo(long revision) {
		this.revision = revision;
		this.advanced.signalAll();
	}

	/**
	 * Waits until this view has applied {@code revision}: a write answers only once a read here
	 * shows it.
	 * @return whether it did within the timeout
	 */
	public boolean awaitRevision(long revision, long timeout, TimeUnit unit) throws InterruptedException {
		long left = unit.toNanos(timeout);
		this.lock.lock();
		try {
			while (this.revision < revision) {
				if (left <= 0) {
					return false;
				}
				left = this.advanced.awaitNanos(left);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The stored instance, with the revision of its last change. */
	public Optional<StoredInstance> stored(String service, String instanceId) {
		Map<String, StoredInstance> instances = this.services.get(service);
		return Optional.ofNullable((instances != null) ? instances.get(instanceId) : null);
	}

	/** Every stored instance, for the liveness sweep. */
	public List<StoredInstance> all() {
		List<StoredInstance> all = new ArrayList<>();
		for (Map<String, StoredInstance> instances : this.services.values()) {
			all.addAll(instances.values());
		}
		return all;
	}

	public Optional<Instance> instance(String service, String instanceId) {
		return stored(service, instanceId).map(StoredInstance::effective);
	}

	public ServiceView service(String service, Predicate<InstanceStatus> statusFilter) {
		long at = this.revision;
		List<Instance> result = new ArrayList<>();
		Map<String, StoredInstance> instances = this.services.get(service);
		if (instances != null) {
			for (StoredInstance stored : instances.values()) {
				Instance instance = stored.effective();
				if (statusFilter.test(instance.status())) {
					result.add(instance);
				}
			}
			result.sort(Comparator.comparing(Instance::instanceId));
		}
		return new ServiceView(service, at, result);
	}

	public List<ServiceSummary> services() {
		List<ServiceSummary> result = new ArrayList<>();
		for (Map.Entry<String, Map<String, StoredInstance>> entry : new TreeMap<>(this.services).entrySet()) {
			ServiceSummary.of(entry.getKey(),
					entry.getValue().values().stream().map((stored) -> stored.effective().status()).toList())
				.ifPresent(result::add);
		}
		return result;
	}

	/**
	 * As {@link RegistryStore#watch}: replays from this view's log; from the store's history when
	 * the log does not reach back far enough (the start then comes later, from the thread that read
	 * it); a snapshot when neither has the changes.
	 */
	public Watch watch(Set<String> services, OptionalLong lastIndex, WatchListener listener) {
		Set<String> watched = Set.copyOf(services);
		Predicate<ChangeEvent> wanted = WatchHub.wanted(watched);
		WatchHub.DeferredStart deferred;
		long after;
		long through;
		long now;
		this.lock.lock();
		try {
			now = this.revision;
			List<ChangeEvent> missed = lastIndex.isPresent() ? this.log.since(lastIndex.getAsLong(), now, wanted)
					: null;
			if (missed != null || lastIndex.isEmpty() || lastIndex.getAsLong() > now) {
				return this.watches.open(watched, now, missed, this.state, listener);
			}
			after = lastIndex.getAsLong();
			through = this.lastChange;
			if (through <= after) {
				return this.watches.open(watched, now, List.of(), this.state, listener);
			}
			deferred = this.watches.openDeferred(watched, now, listener);
		}
		finally {
			this.lock.unlock();
		}
		this.history.changes(after, through).whenComplete((changes, failure) -> {
			if (changes != null && changes.isPresent()) {
				deferred.start(new WatchStart.Replay(now, changes.get().stream().filter(wanted).toList()));
				return;
			}
			if (failure != null) {
				logger.info("Changes after revision {} could not be read from the store ({}); sent a snapshot", after,
						failure.toString());
			}
			startWithSnapshot(deferred, watched);
		});
		return deferred.watch();
	}

	private void startWithSnapshot(WatchHub.DeferredStart deferred, Set<String> watched) {
		this.lock.lock();
		try {
			deferred.start(this.watches.snapshot(watched, this.revision, this.state));
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The store revision this view has applied. */
	public long revision() {
		return this.revision;
	}

	public int openWatches() {
		return this.watches.openWatches();
	}

	public int size() {
		int size = 0;
		for (Map<String, StoredInstance> instances : this.services.values()) {
			size += instances.size();
		}
		return size;
	}

	/** Services with at least one instance (a service leaves the map with its last instance). */
	public int serviceCount() {
		return this.services.size();
	}

}
