package io.beacon.registry.etcd;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.beacon.registry.core.Actor;
import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registration;
import io.beacon.registry.core.RegistryStats;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.ReplicaView;
import io.beacon.registry.core.ServiceSummary;
import io.beacon.registry.core.ServiceView;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.core.Watch;
import io.beacon.registry.core.WatchListener;
import io.etcd.jetcd.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RegistryStore} shared by several registry replicas through etcd, put together from
 * its parts: reads and watches are answered from this replica's {@link ReplicaView}, which an
 * {@link EtcdFollower} keeps up with etcd (and an {@link EtcdHistory} reaches back behind); the
 * writes clients ask for are {@link EtcdWrites}, made as {@link EtcdTransactions}; leases are
 * timed by {@link EtcdLiveness} in the replica that owns them; the {@link EtcdSession} ties this
 * replica's ownerships to its life. The etcd revision is the index, the same on every replica.
 */
public final class EtcdRegistry implements RegistryStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdRegistry.class);

	/**
	 * Largest answer taken from etcd (gRPC's default is 4 MiB): a page of the initial load
	 * ({@link EtcdState#PAGE_KEYS} records, each up to 64 metadata entries of up to 1,024 characters) or a batch of
	 * watch events must fit.
	 */
	static final int MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

	private final Client client;

	private final EtcdSession session;

	/** Names this replica in owner keys; changes when the process restarts. */
	private final String replicaId = UUID.randomUUID().toString();

	/**
	 * Names the shared history (etcd cluster and prefix), the same on every replica: a watcher
	 * that moves to another replica and gets a snapshot is not told the registry restarted.
	 */
	private final String registryId;

	private final RegistryStats stats = new RegistryStats();

	private final ReplicaView view;

	private final EtcdHistory history;

	private final EtcdLiveness liveness;

	private final EtcdWrites writes;

	private final EtcdFollower follower;

	private EtcdRegistry(EtcdStart start, Client client, Clock clock, Ticker ticker, int changeLogCapacity)
			throws Exception {
		EtcdSettings settings = start.settings();
		this.client = client;
		EtcdRecords records = new EtcdRecords(settings.prefix());
		// Whether etcd answers is a matter of real time, whatever times the leases.
		this.session = new EtcdSession(client, settings.sessionTtl(), settings.requestTimeout(), Ticker.system());
		Duration firstAnswer = settings.connectTimeout().plus(settings.requestTimeout());
		long waited = Ticker.system().nanos();
		OptionalLong lease = start.freshLease(firstAnswer);
		if (lease.isPresent()) {
			this.session.adopt(lease.getAsLong());
		}
		else {
			this.session.open();
		}
		EtcdState state = start.state(firstAnswer);
		long loaded = Ticker.system().nanos();
		this.registryId = "etcd-" + Long.toHexString(state.clusterId()) + settings.prefix();
		this.history = new EtcdHistory(client, records, Ticker.system(), settings.requestTimeout());
		this.view = new ReplicaView(this.registryId, changeLogCapacity, this.history, state.instances(),
				state.revision(), state.lastChange());
		EtcdTransactions transactions = new EtcdTransactions(client, records, this.session, this.view,
				this.replicaId, settings.requestTimeout(), this::stale);
		this.liveness = new EtcdLiveness(this.replicaId, this.view, transactions, ticker, this.stats);
		this.liveness.reloaded(state.owners(), state.names());
		this.writes = new EtcdWrites(this.view, transactions, this.liveness, clock, this.stats);
		this.follower = new EtcdFollower(client, records, this.session, this.view, this.liveness,
				settings.requestTimeout());
		this.follower.start(state.revision() + 1);
		logger.info("Replica {} of the registry in etcd under {}: {} instances at revision {} (waited {} ms for "
				+ "etcd, {} ms to build the view)", this.replicaId, settings.prefix(), state.instances().size(),
				state.revision(), TimeUnit.NANOSECONDS.toMillis(loaded - waited),
				TimeUnit.NANOSECONDS.toMillis(Ticker.system().nanos() - loaded));
	}

	/**
	 * Connects to etcd, loads the registry and starts following it.
	 * @throws IllegalStateException naming the endpoints setting when etcd does not answer in time
	 */
	public static EtcdRegistry connect(EtcdSettings settings, Clock clock, Ticker ticker, int changeLogCapacity) {
		return connect(EtcdStart.begin(settings), clock, ticker, changeLogCapacity);
	}

	/**
	 * As {@link #connect(EtcdSettings, Clock, Ticker, int)}, from a start begun earlier (its
	 * requests may have been answered meanwhile); this replica takes its client over.
	 */
	public static EtcdRegistry connect(EtcdStart start, Clock clock, Ticker ticker, int changeLogCapacity) {
		EtcdSettings settings = start.settings();
		Client client = start.take();
		try {
			return new EtcdRegistry(start, client, clock, ticker, changeLogCapacity);
		}
		catch (Exception ex) {
			client.close();
			throw new IllegalStateException("etcd at beacon.registry.etcd.endpoints=" + String.join(",",
					settings.endpoints()) + " did not answer within " + settings.connectTimeout().plus(
							settings.requestTimeout()) + " (connect-timeout + request-timeout): " + ex, ex);
		}
	}

	// ---- writes

	/**
	 * {@inheritDoc}
	 * <p>
	 * The write sequence is kept in the instance's etcd record and checked against the version the
	 * transaction is conditioned on, so it holds whichever replica a late write reaches.
	 */
	@Override
	public Registration register(InstanceRegistration registration, Actor actor, long writeSeq) {
		return this.writes.register(registration, actor, writeSeq);
	}

	@Override
	public void heartbeat(String service, String instanceId, Actor actor) {
		this.writes.heartbeat(service, instanceId, actor);
	}

	@Override
	public Instance updateStatus(String service, String instanceId, InstanceStatus status, ChangeCause cause,
			Actor actor, long writeSeq) {
		return this.writes.updateStatus(service, instanceId, status, cause, actor, writeSeq);
	}

	@Override
	public Instance deregister(String service, String instanceId, Actor actor) {
		return this.writes.deregister(service, instanceId, actor);
	}

	/**
	 * The periodic check: keeps the session and the watch on etcd alive, gives up on history
	 * reads that take too long, and times the leases this replica owns (not while etcd is away:
	 * the transitions wait for it).
	 */
	@Override
	public int expireLeases() {
		this.session.renewIfLost();
		this.follower.repair();
		this.history.failOverdue();
		if (stale()) {
			return 0;
		}
		return this.liveness.expireLeases();
	}

	/**
	 * Marks the instance DOWN when this replica holds its lease stream, still owns it and nothing
	 * changed it since; a client that reconnected elsewhere made that replica the owner.
	 */
	@Override
	public boolean connectionLost(String service, String instanceId) {
		return this.liveness.connectionLost(service, instanceId);
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
	public boolean heartbeatBlocks(String service, String instanceId) {
		return !this.liveness.renewsInMemory(service, instanceId);
	}

	@Override
	public boolean writesBlock() {
		return true;
	}

	@Override
	public boolean stale() {
		return this.follower.broken() || this.session.unreachable();
	}

	/** Stops following etcd and ends the session, so other replicas take over after one TTL. */
	@Override
	public void close() {
		this.follower.close();
		this.history.close();
		this.session.revoke();
		this.client.close();
	}

}
