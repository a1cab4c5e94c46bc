package io.beacon.registry.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
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

/**
 * A replica's read-only copy of a shared store's instances, fed in revision order by whatever
 * follows the store (one watch on its key prefix), and answering every read and watch from memory.
 * The store's revision is the index: each applied change is a {@link ChangeEvent} carrying the
 * revision that made it, so indexes mean the same on every replica of one store and a watcher can
 * resume on any of them.
 */
public final class ReplicaView {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition advanced = this.lock.newCondition();

	private final Map<String, Map<String, StoredInstance>> services = new ConcurrentHashMap<>();

	private final ChangeFeed feed = new ChangeFeed();

	private final String registryId;

	private final RevisionLog log;

	private volatile long revision;

	/**
	 * @param registryId names the shared history this view follows (sent with snapshots)
	 * @param changeLogCapacity how many recent changes are kept for watchers that resume here
	 * @param loaded the instances as the store held them at {@code revision}
	 * @param revision the store revision of {@code loaded}
	 */
	public ReplicaView(String registryId, int changeLogCapacity, List<StoredInstance> loaded, long revision) {
		this.registryId = registryId;
		this.log = new RevisionLog(changeLogCapacity, revision);
		this.revision = revision;
		for (StoredInstance stored : loaded) {
			instancesOf(stored.reported().service()).put(stored.reported().instanceId(), stored);
		}
	}

	private Map<String, StoredInstance> instancesOf(String service) {
		return this.services.computeIfAbsent(service, (key) -> new ConcurrentHashMap<>());
	}

	/** An instance was stored (created or changed) at {@code revision}. */
	public void applyPut(StoredInstance stored, ChangeCause cause) {
		Instance instance = stored.reported();
		this.lock.lock();
		try {
			if (stored.revision() <= this.revision) {
				return;
			}
			instancesOf(instance.service()).put(instance.instanceId(), stored);
			publish(new ChangeEvent(stored.revision(), cause, stored.effective()));
		}
		finally {
			this.lock.unlock();
		}
		this.feed.drain();
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
		this.feed.drain();
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

	private void publish(ChangeEvent event) {
		this.log.append(event);
		this.feed.enqueue(event);
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
			Map<InstanceStatus, Integer> counts = new EnumMap<>(InstanceStatus.class);
			for (InstanceStatus status : InstanceStatus.values()) {
				counts.put(status, 0);
			}
			int total = 0;
			for (StoredInstance stored : entry.getValue().values()) {
				counts.merge(stored.effective().status(), 1, Integer::sum);
				total++;
			}
			if (total > 0) {
				result.add(new ServiceSummary(entry.getKey(), total, counts));
			}
		}
		return result;
	}

	/** As {@link RegistryStore#watch}: replay from this view's log, or a snapshot. */
	public Watch watch(Set<String> services, OptionalLong lastIndex, WatchListener listener) {
		Set<String> watched = Set.copyOf(services);
		Predicate<ChangeEvent> wanted = (event) -> watched.isEmpty() || watched.contains(event.service());
		ChangeFeed.Subscriber subscriber;
		this.lock.lock();
		try {
			long now = this.revision;
			List<ChangeEvent> missed = lastIndex.isPresent() ? this.log.since(lastIndex.getAsLong(), now, wanted)
					: null;
			listener.onStart((missed != null) ? new WatchStart.Replay(now, missed) : snapshot(watched, now));
			subscriber = this.feed.subscribe(watched, now, listener);
		}
		finally {
			this.lock.unlock();
		}
		return () -> this.feed.unsubscribe(subscriber);
	}

	private WatchStart.Snapshot snapshot(Set<String> watched, long at) {
		Map<String, List<Instance>> result = new TreeMap<>();
		Iterable<String> names = watched.isEmpty() ? this.services.keySet() : watched;
		for (String name : names) {
			ServiceView view = service(name, (status) -> true);
			if (!view.instances().isEmpty() || !watched.isEmpty()) {
				result.put(name, view.instances());
			}
		}
		return new WatchStart.Snapshot(at, this.registryId, result);
	}

	/** The store revision this view has applied. */
	public long revision() {
		return this.revision;
	}

	public int openWatches() {
		return this.feed.openWatches();
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
