package io.beacon.registry.etcd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.beacon.registry.core.Actor;
import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceOwnedException;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registration;
import io.beacon.registry.core.RegistryStats;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.ReplicaView;
import io.beacon.registry.core.ServiceSummary;
import io.beacon.registry.core.ServiceView;
import io.beacon.registry.core.StoreUnavailableException;
import io.beacon.registry.core.StoredInstance;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.core.Watch;
import io.beacon.registry.core.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RegistryStore} shared by several registry replicas through etcd.
 * <p>
 * Reads and watches are answered from this replica's {@link ReplicaView}, fed by one watch on the
 * prefix; writes are etcd transactions, and a write answers once the view has applied its revision
 * (read-your-writes). The etcd revision is the index, the same on every replica.
 * <p>
 * Liveness is kept in memory by the replica that receives an instance's heartbeats: it owns the
 * instance (an owner key under its session lease) and alone writes the time-based transitions
 * (lapse, eviction, resumption), each conditioned on still owning it. A heartbeat at another
 * replica takes the ownership over in one transaction; otherwise heartbeats never touch etcd.
 * When an owner's session ends its owner keys vanish; each orphan gets one TTL of grace (a
 * heartbeat anywhere claims it) and is then claimed by exactly one replica, which times its lease
 * from when the owner vanished.
 */
public final class EtcdRegistry implements RegistryStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdRegistry.class);

	private static final int CONFLICT_RETRIES = 5;

	private final Client client;

	private final EtcdRecords records;

	private final EtcdSession session;

	private final Clock clock;

	private final Ticker ticker;

	private final Duration requestTimeout;

	/** Names this replica in owner keys; changes when the process restarts. */
	private final String replicaId = UUID.randomUUID().toString();

	/**
	 * Names the shared history (etcd cluster and prefix), the same on every replica: a watcher
	 * that moves to another replica and gets a snapshot is not told the registry restarted.
	 */
	private final String registryId;

	private final RegistryStats stats = new RegistryStats();

	/** Owner replica id by {@code service/id}, as etcd says (fed by the watch). */
	private final Map<String, String> owners = new ConcurrentHashMap<>();

	/** Last heartbeat ({@link Ticker} time) of the instances this replica owns. */
	private final Map<String, Long> heartbeats = new ConcurrentHashMap<>();

	/** When an unowned instance was first seen without owner. */
	private final Map<String, Long> orphanedSince = new ConcurrentHashMap<>();

	private final ReplicaView view;

	private volatile io.etcd.jetcd.Watch.Watcher watcher;

	/** Set when the watch reported an error: the view no longer follows etcd until it is reopened. */
	private volatile boolean watchBroken;

	/** Whether the watch failed since it last delivered something (to log an outage once). */
	private volatile boolean watchFailing;

	private EtcdRegistry(Client client, EtcdSettings settings, Clock clock, Ticker ticker, int changeLogCapacity)
			throws Exception {
		this.client = client;
		this.records = new EtcdRecords(settings.prefix());
		this.clock = clock;
		this.ticker = ticker;
		this.requestTimeout = settings.requestTimeout();
		// Whether etcd answers is a matter of real time, whatever times the leases.
		this.session = new EtcdSession(client, settings.sessionTtl(), settings.requestTimeout(), Ticker.system());
		this.session.open(settings.connectTimeout().plus(settings.requestTimeout()));
		GetResponse all = client.getKVClient()
			.get(this.records.root(), GetOption.builder().isPrefix(true).build())
			.get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
		long revision = all.getHeader().getRevision();
		this.registryId = "etcd-" + Long.toHexString(all.getHeader().getClusterId()) + settings.prefix();
		List<StoredInstance> loaded = new ArrayList<>();
		for (KeyValue kv : all.getKvs()) {
			String instance = EtcdRecords.nameUnder(this.records.instancesPrefix(), kv.getKey());
			String owned = EtcdRecords.nameUnder(this.records.ownersPrefix(), kv.getKey());
			if (instance != null) {
				loaded.add(EtcdRecords.decode(kv.getValue(), kv.getModRevision()).stored());
			}
			else if (owned != null) {
				this.owners.put(owned, kv.getValue().toString());
			}
		}
		this.view = new ReplicaView(this.registryId, changeLogCapacity, loaded, revision);
		this.watcher = follow(revision + 1);
		logger.info("Replica {} of the registry in etcd under {}: {} instances at revision {}", this.replicaId,
				settings.prefix(), loaded.size(), revision);
	}

	/**
	 * Connects to etcd, loads the registry and starts following it.
	 * @throws IllegalStateException naming the endpoints setting when etcd does not answer in time
	 */
	public static EtcdRegistry connect(EtcdSettings settings, Clock clock, Ticker ticker, int changeLogCapacity) {
		Client client = Client.builder()
			.endpoints(settings.endpoints().toArray(String[]::new))
			.connectTimeout(settings.connectTimeout())
			.build();
		try {
			return new EtcdRegistry(client, settings, clock, ticker, changeLogCapacity);
		}
		catch (Exception ex) {
			client.close();
			throw new IllegalStateException("etcd at beacon.registry.etcd.endpoints=" + String.join(",",
					settings.endpoints()) + " did not answer within " + settings.connectTimeout().plus(
							settings.requestTimeout()) + " (connect-timeout + request-timeout): " + ex, ex);
		}
	}

	private static String name(String service, String instanceId) {
		return service + "/" + instanceId;
	}

	// ---- following etcd

	private void apply(WatchResponse response) {
		this.session.contact();
		if (this.watchFailing) {
			this.watchFailing = false;
			logger.info("The etcd watch follows again from revision {}", this.view.revision() + 1);
		}
		Map<Long, Map<String, ChangeCause>> removals = new HashMap<>();
		long last = 0;
		// Owners first: an instance and its owner written in one transaction are seen together.
		for (WatchEvent event : response.getEvents()) {
			KeyValue kv = event.getKeyValue();
			last = Math.max(last, kv.getModRevision());
			String owned = EtcdRecords.nameUnder(this.records.ownersPrefix(), kv.getKey());
			if (owned != null) {
				if (event.getEventType() == WatchEvent.EventType.PUT) {
					this.owners.put(owned, kv.getValue().toString());
					this.orphanedSince.remove(owned);
				}
				else {
					this.owners.remove(owned);
				}
			}
			else if (kv.getKey().equals(this.records.removedKey()) && event.getEventType() == WatchEvent.EventType.PUT) {
				Map.Entry<String, ChangeCause> removal = EtcdRecords.decodeRemoval(kv.getValue());
				removals.computeIfAbsent(kv.getModRevision(), (r) -> new HashMap<>())
					.put(removal.getKey(), removal.getValue());
			}
		}
		for (WatchEvent event : response.getEvents()) {
			KeyValue kv = event.getKeyValue();
			String instance = EtcdRecords.nameUnder(this.records.instancesPrefix(), kv.getKey());
			if (instance == null) {
				continue;
			}
			if (event.getEventType() == WatchEvent.EventType.PUT) {
				EtcdRecords.Decoded decoded = EtcdRecords.decode(kv.getValue(), kv.getModRevision());
				this.view.applyPut(decoded.stored(), decoded.cause());
			}
			else {
				int slash = instance.indexOf('/');
				ChangeCause cause = removals.getOrDefault(kv.getModRevision(), Map.of())
					.getOrDefault(instance, ChangeCause.DEREGISTERED);
				this.view.applyDelete(instance.substring(0, slash), instance.substring(slash + 1), cause,
						kv.getModRevision());
				this.heartbeats.remove(instance);
				this.orphanedSince.remove(instance);
			}
		}
		if (last > 0) {
			this.view.advance(last);
		}
	}

	private io.etcd.jetcd.Watch.Watcher follow(long fromRevision) {
		return this.client.getWatchClient()
			.watch(this.records.root(),
					WatchOption.builder().isPrefix(true).withPrevKV(true).withRevision(fromRevision).build(),
					io.etcd.jetcd.Watch.listener(this::apply, this::watchFailed));
	}

	private void watchFailed(Throwable ex) {
		if (!this.watchFailing) {
			logger.warn("The etcd watch broke at revision {}: {}; reads are stale until it is reopened",
					this.view.revision(), ex.toString());
		}
		this.watchFailing = true;
		this.watchBroken = true;
	}

	/**
	 * Reopens a broken watch from the revision after the last one applied, so nothing is missed.
	 * Events seen twice are harmless: the view ignores revisions it already has.
	 */
	private void refollowIfBroken() {
		if (!this.watchBroken) {
			return;
		}
		this.watchBroken = false;
		this.watcher.close();
		this.watcher = follow(this.view.revision() + 1);
		logger.debug("The etcd watch reopened from revision {}", this.view.revision() + 1);
	}

	// ---- writes

	/**
	 * {@inheritDoc}
	 * <p>
	 * The etcd store does not order a client's writes by their sequence yet: {@code writeSeq} is
	 * not checked (issue 13, not done).
	 */
	@Override
	public Registration register(InstanceRegistration registration, Actor actor, long writeSeq) {
		InstanceRegistration data = (registration.instanceId() != null) ? registration
				: registration.withInstanceId(UUID.randomUUID().toString());
		String name = name(data.service(), data.instanceId());
		this.stats.countRegistration();
		for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
			Optional<StoredInstance> existing = this.view.stored(data.service(), data.instanceId());
			Instant now = this.clock.instant();
			if (existing.isPresent() && !actor.mayChange(existing.get().reported().owner())) {
				throw new InstanceOwnedException(data.service(), data.instanceId());
			}
			if (existing.isPresent() && !existing.get().lapsed() && sameData(existing.get().reported(), data)
					&& java.util.Objects.equals(existing.get().reported().owner(), actor.name())) {
				renew(data.service(), data.instanceId(), actor);
				return new Registration(existing.get().effective(), false);
			}
			Instant registeredAt = existing.map((s) -> s.reported().registeredAt()).orElse(now);
			Instance reported = new Instance(data.instanceId(), data.service(), data.host(), data.port(),
					data.secure(), data.status(), data.zone(), data.metadata(), data.leaseTtl(), registeredAt, now,
					actor.name());
			ChangeCause cause = existing.isPresent() ? ChangeCause.REREGISTERED : ChangeCause.REGISTERED;
			long expected = existing.map(StoredInstance::revision).orElse(0L);
			TxnResponse response = commit(
					new Cmp[] { new Cmp(key(data), Cmp.Op.EQUAL, CmpTarget.modRevision(expected)) },
					new Op[] { Op.put(key(data), EtcdRecords.encode(reported, false, cause), PutOption.DEFAULT),
							ownerPut(data.service(), data.instanceId()) });
			awaitView(response.getHeader().getRevision());
			if (response.isSucceeded()) {
				this.heartbeats.put(name, this.ticker.nanos());
				logger.info("{} {} at {}:{} as {}", existing.isPresent() ? "Re-registered" : "Registered", name,
						data.host(), data.port(), data.status());
				return new Registration(this.view.instance(data.service(), data.instanceId()).orElse(reported),
						existing.isEmpty());
			}
		}
		throw new StoreUnavailableException("registration of " + name + " kept conflicting with other writes", null);
	}

	private static boolean sameData(Instance stored, InstanceRegistration data) {
		return stored.host().equals(data.host()) && stored.port() == data.port() && stored.secure() == data.secure()
				&& stored.status() == data.status() && java.util.Objects.equals(stored.zone(), data.zone())
				&& stored.metadata().equals(data.metadata()) && stored.leaseTtl().equals(data.leaseTtl());
	}

	@Override
	public void heartbeat(String service, String instanceId, Actor actor) {
		StoredInstance stored = renew(service, instanceId, actor);
		this.stats.countHeartbeat();
		if (stored.lapsed()) {
			rewrite(service, instanceId, (s) -> s.lapsed() ? s.reported() : null, ChangeCause.HEARTBEAT_RESUMED);
			logger.info("Lease of {}/{} renewed after it lapsed", service, instanceId);
		}
	}

	/**
	 * Renews the lease in memory, taking the ownership over first when another replica (or none)
	 * owns the instance.
	 */
	private StoredInstance renew(String service, String instanceId, Actor actor) {
		String name = name(service, instanceId);
		Optional<StoredInstance> seen = this.view.stored(service, instanceId);
		if (seen.isPresent() && !actor.mayChange(seen.get().reported().owner())) {
			throw new InstanceOwnedException(service, instanceId);
		}
		if (seen.isEmpty() || !this.replicaId.equals(this.owners.get(name)) || !this.heartbeats.containsKey(name)) {
			// Also when this view has not seen the instance yet: it may have just been registered
			// through another replica, and etcd, not this view, says whether it exists.
			TxnResponse response = commit(
					new Cmp[] { new Cmp(this.records.instanceKey(service, instanceId), Cmp.Op.GREATER,
							CmpTarget.version(0)) },
					new Op[] { ownerPut(service, instanceId) });
			if (!response.isSucceeded()) {
				throw new InstanceNotFoundException(service, instanceId);
			}
			this.owners.put(name, this.replicaId);
			if (seen.isEmpty()) {
				awaitView(response.getHeader().getRevision());
				seen = this.view.stored(service, instanceId);
			}
		}
		StoredInstance stored = seen.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
		if (!actor.mayChange(stored.reported().owner())) {
			throw new InstanceOwnedException(service, instanceId);
		}
		this.heartbeats.put(name, this.ticker.nanos());
		return stored;
	}

	/** {@inheritDoc} {@code writeSeq} is not checked by the etcd store yet (see register). */
	@Override
	public Instance updateStatus(String service, String instanceId, InstanceStatus status, ChangeCause cause,
			Actor actor, long writeSeq) {
		StoredInstance stored = renew(service, instanceId, actor);
		if (stored.reported().status() == status && !stored.lapsed()) {
			return stored.effective();
		}
		ChangeCause written = (stored.reported().status() != status) ? cause : ChangeCause.HEARTBEAT_RESUMED;
		Instance changed = rewrite(service, instanceId, (s) -> withStatus(s.reported(), status), written);
		logger.info("Status of {}/{}: {} -> {}", service, instanceId, stored.reported().status(), status);
		return changed;
	}

	/**
	 * Writes a new version of an instance (not lapsed, renewed now), conditioned on the version
	 * read, retrying on conflicts.
	 * @param change the new reported instance from the stored one, or null when nothing is left to do
	 */
	private Instance rewrite(String service, String instanceId,
			java.util.function.Function<StoredInstance, Instance> change, ChangeCause cause) {
		for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
			StoredInstance stored = this.view.stored(service, instanceId)
				.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
			Instance next = change.apply(stored);
			if (next == null) {
				return stored.effective();
			}
			next = withHeartbeat(next, this.clock.instant());
			ByteSequence key = this.records.instanceKey(service, instanceId);
			TxnResponse response = commit(
					new Cmp[] { new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(stored.revision())) },
					new Op[] { Op.put(key, EtcdRecords.encode(next, false, cause), PutOption.DEFAULT) });
			awaitView(response.getHeader().getRevision());
			if (response.isSucceeded()) {
				return this.view.instance(service, instanceId).orElse(next);
			}
		}
		throw new StoreUnavailableException("change of " + name(service, instanceId)
				+ " kept conflicting with other writes", null);
	}

	@Override
	public Instance deregister(String service, String instanceId, Actor actor) {
		StoredInstance stored = this.view.stored(service, instanceId)
			.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
		if (!actor.mayChange(stored.reported().owner())) {
			throw new InstanceOwnedException(service, instanceId);
		}
		TxnResponse response = commit(
				new Cmp[] { new Cmp(this.records.instanceKey(service, instanceId), Cmp.Op.GREATER,
						CmpTarget.version(0)) },
				removal(service, instanceId, ChangeCause.DEREGISTERED));
		awaitView(response.getHeader().getRevision());
		if (!response.isSucceeded()) {
			throw new InstanceNotFoundException(service, instanceId);
		}
		this.heartbeats.remove(name(service, instanceId));
		this.stats.countDeregistration();
		logger.info("Deregistered {}/{}", service, instanceId);
		return stored.effective();
	}

	private Op[] removal(String service, String instanceId, ChangeCause cause) {
		return new Op[] { Op.delete(this.records.instanceKey(service, instanceId), DeleteOption.DEFAULT),
				Op.delete(this.records.ownerKey(service, instanceId), DeleteOption.DEFAULT),
				Op.put(this.records.removedKey(), EtcdRecords.encodeRemoval(service, instanceId, cause),
						PutOption.DEFAULT) };
	}

	private Op ownerPut(String service, String instanceId) {
		return Op.put(this.records.ownerKey(service, instanceId), EtcdRecords.bytes(this.replicaId),
				PutOption.builder().withLeaseId(this.session.leaseId()).build());
	}

	private ByteSequence key(InstanceRegistration data) {
		return this.records.instanceKey(data.service(), data.instanceId());
	}

	private TxnResponse commit(Cmp[] conditions, Op[] then) {
		if (stale()) {
			throw new StoreUnavailableException("etcd has not answered lately", null);
		}
		try {
			TxnResponse response = this.client.getKVClient()
				.txn()
				.If(conditions)
				.Then(then)
				.commit()
				.get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
			this.session.contact();
			return response;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreUnavailableException("interrupted while writing to etcd", ex);
		}
		catch (Exception ex) {
			throw new StoreUnavailableException("etcd did not take the change within " + this.requestTimeout, ex);
		}
	}

	private void awaitView(long revision) {
		try {
			if (!this.view.awaitRevision(revision, this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new StoreUnavailableException("the change at revision " + revision
						+ " is stored in etcd but this replica has not seen it yet", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreUnavailableException("interrupted while waiting for revision " + revision, ex);
		}
	}

	// ---- time-based transitions

	@Override
	public int expireLeases() {
		this.session.renewIfLost();
		refollowIfBroken();
		if (stale()) {
			return 0;
		}
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
		String name = name(instance.service(), instance.instanceId());
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
			this.heartbeats.remove(name);
			this.orphanedSince.remove(name);
			return false;
		}
		long silence = now - this.heartbeats.computeIfAbsent(name, (n) -> now);
		ByteSequence key = this.records.instanceKey(instance.service(), instance.instanceId());
		Cmp[] stillMine = { new Cmp(this.records.ownerKey(instance.service(), instance.instanceId()), Cmp.Op.EQUAL,
				CmpTarget.value(EtcdRecords.bytes(this.replicaId))),
				new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(stored.revision())) };
		if (silence >= EVICTION_TTL_MULTIPLE * ttl) {
			TxnResponse response = commit(stillMine, removal(instance.service(), instance.instanceId(),
					ChangeCause.EVICTED));
			awaitView(response.getHeader().getRevision());
			if (response.isSucceeded()) {
				this.heartbeats.remove(name);
				this.stats.countEviction();
				logger.info("Evicted {}: no heartbeat for {} s", name, silence / 1_000_000_000);
			}
			return response.isSucceeded();
		}
		if (!stored.lapsed() && silence >= ttl) {
			TxnResponse response = commit(stillMine,
					new Op[] { Op.put(key, EtcdRecords.encode(instance, true, ChangeCause.LEASE_LAPSED),
							PutOption.DEFAULT) });
			awaitView(response.getHeader().getRevision());
			if (response.isSucceeded()) {
				this.stats.countLapse();
				logger.info("Lease of {} lapsed: no heartbeat for {} ms (TTL {}), marked DOWN", name,
						silence / 1_000_000, instance.leaseTtl());
			}
			return response.isSucceeded();
		}
		return false;
	}

	/** Takes over an instance whose owner vanished one TTL ago; exactly one replica succeeds. */
	private void claim(StoredInstance stored, long orphanedAt) {
		Instance instance = stored.reported();
		String name = name(instance.service(), instance.instanceId());
		TxnResponse response = commit(
				new Cmp[] { new Cmp(this.records.ownerKey(instance.service(), instance.instanceId()), Cmp.Op.EQUAL,
						CmpTarget.version(0)),
						new Cmp(this.records.instanceKey(instance.service(), instance.instanceId()), Cmp.Op.GREATER,
								CmpTarget.version(0)) },
				new Op[] { ownerPut(instance.service(), instance.instanceId()) });
		if (response.isSucceeded()) {
			// Its lease is timed from when its owner vanished: a heartbeat since would have claimed it.
			this.heartbeats.put(name, orphanedAt);
			this.owners.put(name, this.replicaId);
			this.orphanedSince.remove(name);
			logger.info("Took over the lease of {}: its owner's session ended", name);
		}
	}

	private static Instance withStatus(Instance i, InstanceStatus status) {
		return new Instance(i.instanceId(), i.service(), i.host(), i.port(), i.secure(), status, i.zone(),
				i.metadata(), i.leaseTtl(), i.registeredAt(), i.lastHeartbeatAt(), i.owner());
	}

	private static Instance withHeartbeat(Instance i, Instant at) {
		return new Instance(i.instanceId(), i.service(), i.host(), i.port(), i.secure(), i.status(), i.zone(),
				i.metadata(), i.leaseTtl(), i.registeredAt(), at, i.owner());
	}

	// ---- reads

	@Override
	public Optional<Instance> instance(String service, String instanceId) {
		return this.view.instance(service, instanceId);
	}

	@Override
	public ServiceView service(String service, Predicate<InstanceStatus> statusFilter) {
		return this.view.service(service, statusFilter);
	}

	@Override
	public List<ServiceSummary> services() {
		return this.view.services();
	}

	@Override
	public Watch watch(Set<String> services, OptionalLong lastIndex, WatchListener listener) {
		return this.view.watch(services, lastIndex, listener);
	}

	@Override
	public long index() {
		return this.view.revision();
	}

	@Override
	public String registryId() {
		return this.registryId;
	}

	@Override
	public String replicaId() {
		return this.replicaId;
	}

	@Override
	public RegistryStats stats() {
		return this.stats;
	}

	@Override
	public int openWatches() {
		return this.view.openWatches();
	}

	@Override
	public int size() {
		return this.view.size();
	}

	@Override
	public int serviceCount() {
		return this.view.serviceCount();
	}

	/** Every write is an etcd transaction, and waits until this replica's view has applied it. */
	@Override
	public boolean writesBlock() {
		return true;
	}

	@Override
	public boolean stale() {
		return this.watchBroken || this.session.unreachable();
	}

	/** Stops following etcd and ends the session, so other replicas take over after one TTL. */
	@Override
	public void close() {
		this.watcher.close();
		this.session.revoke();
		this.client.close();
	}

}
