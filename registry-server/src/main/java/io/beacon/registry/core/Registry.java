package io.beacon.registry.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory {@link RegistryStore}: services, their instances and leases, and the changes
 * watchers are told about, held by this one process (the default store).
 * <p>
 * Every change happens under one lock and bumps one registry-wide index, so changes are totally
 * ordered and a watcher can resume from any index still in the change log. Heartbeats, by far the
 * most frequent call, take no lock: they write the instance's last-heartbeat time, and leases are
 * checked lazily by {@link #expireLeases()} (see {@link LeaseDeadlines}).
 * <p>
 * Leases are timed by a monotonic {@link Ticker}; the wall {@link Clock} only dates what is shown
 * (registration and last-heartbeat times) and seeds the index, so a step of the wall clock neither
 * lapses nor evicts anything.
 * <p>
 * The index starts at the creation time in milliseconds times 1000, so a registry that restarts
 * continues above the indexes of its previous run (unless that run averaged over a million changes
 * a second): a watcher that resumes with an index from before the restart is sent a snapshot, never
 * changes from a different history. Such indexes still fit in a JSON number exactly (below 2^53).
 * <p>
 * Registrations and status updates may carry a write sequence (see {@link #UNSEQUENCED}): a write
 * whose client gave up on it (a timeout) can reach the registry after the client's next write, and
 * must then not undo it. The record keeps the highest sequence applied; a write with a lower one is
 * refused with {@link StaleWriteException} and changes nothing.
 */
public final class Registry implements RegistryStore {

	private static final Logger logger = LoggerFactory.getLogger(Registry.class);

	/** How many due leases one sweep handles per lock hold, so a mass lapse never stalls writers. */
	private static final int SWEEP_BATCH = 2_000;

	/**
	 * The write sequence of a write that carries none (any client but the starter): it is applied as
	 * always and leaves the sequence the instance holds unchanged. Sequences are positive.
	 */
	public static final long UNSEQUENCED = 0;

	private final Clock clock;

	private final Ticker ticker;

	private final String registryId = UUID.randomUUID().toString();

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<String, Map<String, InstanceRecord>> services = new ConcurrentHashMap<>();

	private final LeaseDeadlines deadlines = new LeaseDeadlines();

	private final ChangeLog changeLog;

	private final ChangeFeed feed = new ChangeFeed();

	private final RegistryStats stats = new RegistryStats();

	private volatile long index;

	/**
	 * @param clock the wall clock, for the times instances show and the first index
	 * @param ticker the monotonic time source leases are timed by
	 * @param changeLogCapacity how many recent changes are kept for watchers that resume
	 */
	public Registry(Clock clock, Ticker ticker, int changeLogCapacity) {
		this.clock = clock;
		this.ticker = ticker;
		this.changeLog = new ChangeLog(changeLogCapacity);
		this.index = clock.millis() * 1000;
	}

	/**
	 * Registers an instance, or replaces the data of the instance with the same id (keeping its
	 * registration time). Either way the lease starts anew.
	 */
	@Override
	public Registration register(InstanceRegistration registration) {
		return register(registration, Actor.ANYONE);
	}

	/**
	 * Registers an instance owned by {@code actor}, or replaces the data of the instance with the
	 * same id if the actor may change it (it then owns it).
	 * @throws InstanceOwnedException when the id is taken by an instance the actor may not change
	 */
	@Override
	public Registration register(InstanceRegistration registration, Actor actor) {
		return register(registration, actor, UNSEQUENCED);
	}

	/**
	 * Registers an instance like {@link #register(InstanceRegistration, Actor)}, as the client's write
	 * number {@code writeSeq} ({@link #UNSEQUENCED} for none).
	 * @throws InstanceOwnedException when the id is taken by an instance the actor may not change
	 * @throws StaleWriteException when the instance already applied a write with a higher sequence
	 */
	public Registration register(InstanceRegistration registration, Actor actor, long writeSeq) {
		InstanceRegistration data = (registration.instanceId() != null) ? registration
				: registration.withInstanceId(UUID.randomUUID().toString());
		Registration result;
		this.lock.lock();
		try {
			long now = this.ticker.nanos();
			Map<String, InstanceRecord> instances = this.services.computeIfAbsent(data.service(),
					(key) -> new ConcurrentHashMap<>());
			InstanceRecord record = instances.get(data.instanceId());
			if (record != null && !actor.mayChange(record.owner)) {
				throw new InstanceOwnedException(data.service(), data.instanceId());
			}
			if (record != null) {
				checkSequence(record, data.service(), writeSeq);
			}
			this.stats.registrations.increment();
			if (record == null) {
				record = new InstanceRecord(data, actor.name(), this.clock.millis(), now);
				record.applied(writeSeq);
				instances.put(data.instanceId(), record);
				this.deadlines.schedule(record, now + record.ttlNanos());
				Instance instance = record.view();
				publish(ChangeCause.REGISTERED, instance);
				logger.info("Registered {}/{} at {}:{} as {}", data.service(), data.instanceId(), data.host(),
						data.port(), data.status());
				result = new Registration(instance, true);
			}
			else {
				boolean changed = record.lapsed || !record.data.sameDataAs(data);
				boolean ttlChanged = !record.data.leaseTtl().equals(data.leaseTtl());
				boolean wasLapsed = record.lapsed;
				changed |= !java.util.Objects.equals(record.owner, actor.name());
				record.owner = actor.name();
				record.data = data;
				record.applied(writeSeq);
				record.renew(this.clock.millis(), now);
				record.lapsed = false;
				if (ttlChanged || wasLapsed) {
					this.deadlines.schedule(record, now + record.ttlNanos());
				}
				Instance instance = record.view();
				if (changed) {
					publish(ChangeCause.REREGISTERED, instance);
					logger.info("Re-registered {}/{} at {}:{} as {}", data.service(), data.instanceId(), data.host(),
							data.port(), data.status());
				}
				result = new Registration(instance, false);
			}
		}
		finally {
			this.lock.unlock();
		}
		this.feed.drain();
		return result;
	}

	/**
	 * Renews an instance's lease. A lapsed instance comes back at the status it last reported.
	 * @throws InstanceNotFoundException when the instance is not registered (the client should
	 * register again)
	 */
	@Override
	public void heartbeat(String service, String instanceId) {
		heartbeat(service, instanceId, Actor.ANYONE);
	}

	/**
	 * Renews an instance's lease for an actor that may change it.
	 * @throws InstanceNotFoundException when the instance is not registered
	 * @throws InstanceOwnedException when the actor may not change it
	 */
	@Override
	public void heartbeat(String service, String instanceId, Actor actor) {
		InstanceRecord record = find(service, instanceId);
		checkOwner(record, service, actor);
		record.renew(this.clock.millis(), this.ticker.nanos());
		// Read after the write above: either this thread sees a lapse or removal the sweeper marked,
		// or the sweeper's re-check sees this heartbeat and undoes it (see expire).
		if (record.removed) {
			throw new InstanceNotFoundException(service, instanceId);
		}
		this.stats.heartbeats.increment();
		if (record.lapsed) {
			revive(record);
		}
	}

	private void revive(InstanceRecord record) {
		this.lock.lock();
		try {
			if (record.removed) {
				// Removed while this heartbeat waited for the lock: the client must register again.
				throw new InstanceNotFoundException(record.data.service(), record.instanceId);
			}
			if (!record.lapsed) {
				return;
			}
			record.lapsed = false;
			this.deadlines.schedule(record, record.lastHeartbeat + record.ttlNanos());
			publish(ChangeCause.HEARTBEAT_RESUMED, record.view());
			logger.info("Lease of {}/{} renewed after it lapsed: back to {}", record.data.service(), record.instanceId,
					record.data.status());
		}
		finally {
			this.lock.unlock();
		}
		this.feed.drain();
	}

	/**
	 * Sets the status an instance reports. This also renews its lease: the client is alive.
	 * @throws InstanceNotFoundException when the instance is not registered
	 */
	@Override
	public Instance updateStatus(String service, String instanceId, InstanceStatus status) {
		return updateStatus(service, instanceId, status, Actor.ANYONE);
	}

	/**
	 * Sets the status an instance reports, for an actor that may change it.
	 * @throws InstanceNotFoundException when the instance is not registered
	 * @throws InstanceOwnedException when the actor may not change it
	 */
	public Instance updateStatus(String service, String instanceId, InstanceStatus status, Actor actor) {
		return updateStatus(service, instanceId, status, ChangeCause.STATUS_CHANGED, actor);
	}

	/**
	 * Sets the status an instance reports, for an actor that may change it, published with the given
	 * cause (why the client reports it). This also renews its lease: the client is alive.
	 * @throws InstanceNotFoundException when the instance is not registered
	 * @throws InstanceOwnedException when the actor may not change it
	 */
	@Override
	public Instance updateStatus(String service, String instanceId, InstanceStatus status, ChangeCause cause,
			Actor actor) {
		return updateStatus(service, instanceId, status, cause, actor, UNSEQUENCED);
	}

	/**
	 * Sets the status an instance reports like
	 * {@link #updateStatus(String, String, InstanceStatus, ChangeCause, Actor)}, as the client's write
	 * number {@code writeSeq} ({@link #UNSEQUENCED} for none).
	 * @throws InstanceNotFoundException when the instance is not registered
	 * @throws InstanceOwnedException when the actor may not change it
	 * @throws StaleWriteException when the instance already applied a write with a higher sequence
	 */
	public Instance updateStatus(String service, String instanceId, InstanceStatus status, ChangeCause cause,
			Actor actor, long writeSeq) {
		Instance result;
		this.lock.lock();
		try {
			InstanceRecord record = find(service, instanceId);
			checkOwner(record, service, actor);
			checkSequence(record, service, writeSeq);
			long now = this.ticker.nanos();
			InstanceStatus before = record.status();
			InstanceRegistration old = record.data;
			record.data = old.withStatus(status);
			record.applied(writeSeq);
			record.renew(this.clock.millis(), now);
			if (record.lapsed) {
				record.lapsed = false;
				this.deadlines.schedule(record, now + record.ttlNanos());
			}
			result = record.view();
			if (before != status) {
				publish(cause, result);
				logger.info("Status of {}/{}: {} -> {} ({})", old.service(), instanceId, before, status,
						cause.wireName());
			}
		}
		finally {
			this.lock.unlock();
		}
		this.feed.drain();
		return result;
	}

	/**
	 * Removes an instance at its client's request.
	 * @return the instance as it was
	 * @throws InstanceNotFoundException when the instance is not registered
	 */
	@Override
	public Instance deregister(String service, String instanceId) {
		return deregister(service, instanceId, Actor.ANYONE);
	}

	/**
	 * Removes an instance at the request of an actor that may change it.
	 * @return the instance as it was
	 * @throws InstanceNotFoundException when the instance is not registered
	 * @throws InstanceOwnedException when the actor may not change it
	 */
	@Override
	public Instance deregister(String service, String instanceId, Actor actor) {
		Instance result;
		this.lock.lock();
		try {
			InstanceRecord record = find(service, instanceId);
			checkOwner(record, service, actor);
			result = remove(record, ChangeCause.DEREGISTERED);
			this.stats.deregistrations.increment();
			logger.info("Deregistered {}/{}", result.service(), instanceId);
		}
		finally {
			this.lock.unlock();
		}
		this.feed.drain();
		return result;
	}

	/**
	 * Marks an instance DOWN with the cause {@link ChangeCause#CONNECTION_LOST}: its lease counts as
	 * lapsed from now on, so it is evicted {@value #EVICTION_TTL_MULTIPLE} TTLs after its last
	 * heartbeat and the next heartbeat revives it, exactly as after a lapse.
	 */
	@Override
	public boolean connectionLost(String service, String instanceId) {
		this.lock.lock();
		try {
			Map<String, InstanceRecord> instances = this.services.get(service);
			InstanceRecord record = (instances != null) ? instances.get(instanceId) : null;
			if (record == null || record.removed || record.status() == InstanceStatus.DOWN) {
				return false;
			}
			record.lapsed = true;
			this.deadlines.schedule(record, record.lastHeartbeat + EVICTION_TTL_MULTIPLE * record.ttlNanos());
			publish(ChangeCause.CONNECTION_LOST, record.view());
			logger.info("Connection of {}/{} lost and not reopened within the grace: marked DOWN", service,
					instanceId);
		}
		finally {
			this.lock.unlock();
		}
		this.feed.drain();
		return true;
	}

	/**
	 * Marks lapsed leases DOWN and evicts instances silent for {@value #EVICTION_TTL_MULTIPLE} TTLs,
	 * as of the clock's current time. Called by a scheduler at a short, fixed interval.
	 * @return how many instances changed
	 */
	@Override
	public int expireLeases() {
		int changed = 0;
		boolean more = true;
		while (more) {
			this.lock.lock();
			try {
				long now = this.ticker.nanos();
				int handled = 0;
				InstanceRecord record = null;
				while (handled < SWEEP_BATCH && (record = this.deadlines.pollDue(now)) != null) {
					handled++;
					if (expire(record, now)) {
						changed++;
					}
				}
				more = record != null;
				if (!more) {
					this.deadlines.compactIfBloated(size());
				}
			}
			finally {
				this.lock.unlock();
			}
			this.feed.drain();
		}
		return changed;
	}

	/**
	 * Handles one due lease deadline; under the lock. A heartbeat takes no lock, so each step that
	 * acts on a silent lease first marks the record, then checks that no heartbeat came since it
	 * read the last one, and undoes the mark if one did: the heartbeat, which writes its time and
	 * then reads the marks, either sees the mark (and answers that the instance is gone or revives
	 * it) or is seen here.
	 */
	private boolean expire(InstanceRecord record, long now) {
		long ttl = record.ttlNanos();
		long silentSince = record.lastHeartbeat;
		long silence = now - silentSince;
		if (silence >= EVICTION_TTL_MULTIPLE * ttl) {
			record.removed = true;
			if (record.lastHeartbeat != silentSince) {
				record.removed = false;
				this.deadlines.schedule(record, record.lastHeartbeat + ttl);
				return false;
			}
			Instance gone = remove(record, ChangeCause.EVICTED);
			this.stats.evictions.increment();
			logger.info("Evicted {}/{}: no heartbeat for {} s", gone.service(), gone.instanceId(),
					silence / 1_000_000_000);
			return true;
		}
		if (record.lapsed || silence < ttl) {
			this.deadlines.schedule(record,
					record.lapsed ? silentSince + EVICTION_TTL_MULTIPLE * ttl : silentSince + ttl);
			return false;
		}
		record.lapsed = true;
		if (record.lastHeartbeat != silentSince) {
			record.lapsed = false;
			this.deadlines.schedule(record, record.lastHeartbeat + ttl);
			return false;
		}
		this.deadlines.schedule(record, silentSince + EVICTION_TTL_MULTIPLE * ttl);
		this.stats.lapses.increment();
		Instance down = record.view();
		publish(ChangeCause.LEASE_LAPSED, down);
		logger.info("Lease of {}/{} lapsed: no heartbeat for {} ms (TTL {}), marked DOWN", down.service(),
				down.instanceId(), silence / 1_000_000, record.data.leaseTtl());
		return true;
	}

	/** Under the lock. */
	private Instance remove(InstanceRecord record, ChangeCause cause) {
		String service = record.data.service();
		record.removed = true;
		Instance instance = record.view();
		this.services.computeIfPresent(service, (key, instances) -> {
			instances.remove(record.instanceId, record);
			return instances.isEmpty() ? null : instances;
		});
		publish(cause, instance);
		return instance;
	}

	/** Under the lock: bumps the index, logs the change and queues it for watchers. */
	private void publish(ChangeCause cause, Instance instance) {
		ChangeEvent event = new ChangeEvent(this.index + 1, cause, instance);
		this.changeLog.append(event);
		this.index = event.index();
		this.feed.enqueue(event);
	}

	private InstanceRecord find(String service, String instanceId) {
		Map<String, InstanceRecord> instances = this.services.get(service);
		InstanceRecord record = (instances != null) ? instances.get(instanceId) : null;
		if (record == null) {
			throw new InstanceNotFoundException(service, instanceId);
		}
		return record;
	}

	private static void checkOwner(InstanceRecord record, String service, Actor actor) {
		if (!actor.mayChange(record.owner)) {
			throw new InstanceOwnedException(service, record.instanceId);
		}
	}

	/** Under the lock: refuses a sequenced write older than one the instance already applied. */
	private static void checkSequence(InstanceRecord record, String service, long writeSeq) {
		if (writeSeq != UNSEQUENCED && writeSeq < record.writeSeq) {
			logger.info("Refused a stale write to {}/{}: sequence {} is older than the applied {}", service,
					record.instanceId, writeSeq, record.writeSeq);
			throw new StaleWriteException(service, record.instanceId, writeSeq, record.writeSeq);
		}
	}

	/** One instance, any status. */
	@Override
	public Optional<Instance> instance(String service, String instanceId) {
		Map<String, InstanceRecord> instances = this.services.get(service);
		InstanceRecord record = (instances != null) ? instances.get(instanceId) : null;
		return (record != null) ? Optional.of(record.view()) : Optional.empty();
	}

	/**
	 * The instances of a service whose status passes the filter, ordered by id. An unknown service
	 * has no instances.
	 */
	@Override
	public ServiceView service(String service, Predicate<InstanceStatus> statusFilter) {
		long at = this.index;
		List<Instance> result = new ArrayList<>();
		Map<String, InstanceRecord> instances = this.services.get(service);
		if (instances != null) {
			for (InstanceRecord record : instances.values()) {
				if (statusFilter.test(record.status())) {
					result.add(record.view());
				}
			}
			result.sort(Comparator.comparing(Instance::instanceId));
		}
		return new ServiceView(service, at, result);
	}

	/** Every service with its instance counts by status, by name. */
	@Override
	public List<ServiceSummary> services() {
		List<ServiceSummary> result = new ArrayList<>();
		for (Map.Entry<String, Map<String, InstanceRecord>> entry : new TreeMap<>(this.services).entrySet()) {
			Map<InstanceStatus, Integer> counts = new EnumMap<>(InstanceStatus.class);
			for (InstanceStatus status : InstanceStatus.values()) {
				counts.put(status, 0);
			}
			int total = 0;
			for (InstanceRecord record : entry.getValue().values()) {
				counts.merge(record.status(), 1, Integer::sum);
				total++;
			}
			if (total > 0) {
				result.add(new ServiceSummary(entry.getKey(), total, counts));
			}
		}
		return result;
	}

	/**
	 * Opens a watch on some services (all when {@code services} is empty). The listener first gets
	 * the changes after {@code lastIndex} when the change log still has them, otherwise a snapshot;
	 * then every change of those services, in order, with nothing missed or repeated in between.
	 */
	@Override
	public Watch watch(Set<String> services, OptionalLong lastIndex, WatchListener listener) {
		Set<String> watched = Set.copyOf(services);
		Predicate<ChangeEvent> wanted = (event) -> watched.isEmpty() || watched.contains(event.service());
		ChangeFeed.Subscriber subscriber;
		this.lock.lock();
		try {
			long now = this.index;
			List<ChangeEvent> missed = lastIndex.isPresent()
					? this.changeLog.since(lastIndex.getAsLong(), now, wanted) : null;
			listener.onStart((missed != null) ? new WatchStart.Replay(now, missed) : snapshot(watched, now));
			subscriber = this.feed.subscribe(watched, now, listener);
		}
		finally {
			this.lock.unlock();
		}
		return () -> this.feed.unsubscribe(subscriber);
	}

	/** Under the lock, so the snapshot is exactly the state at {@code at}. */
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

	/** The index of the latest change. */
	@Override
	public long index() {
		return this.index;
	}

	/** Identifies this registry process; it changes when the registry restarts. */
	@Override
	public String registryId() {
		return this.registryId;
	}

	@Override
	public RegistryStats stats() {
		return this.stats;
	}

	/** Watches open now. */
	@Override
	public int openWatches() {
		return this.feed.openWatches();
	}

	/** Services with at least one instance now (a service leaves the map with its last instance). */
	@Override
	public int serviceCount() {
		return this.services.size();
	}

	/** Instances registered now, any status. */
	@Override
	public int size() {
		int size = 0;
		for (Map<String, InstanceRecord> instances : this.services.values()) {
			size += instances.size();
		}
		return size;
	}

}
