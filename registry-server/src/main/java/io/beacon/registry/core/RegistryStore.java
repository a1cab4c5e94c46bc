package io.beacon.registry.core;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where the registry's state lives: the port the API talks to. {@link Registry} keeps it in this
 * process's memory; other implementations share it between replicas. Every implementation answers
 * the same calls the same way (one contract test suite runs against each).
 * <p>
 * Changes are totally ordered by an index that only grows; a watcher can resume from an index it
 * was given, and gets a snapshot when the store no longer knows what came after it.
 */
public interface RegistryStore {

	/** An instance is removed when no heartbeat came for this many lease TTLs. */
	int EVICTION_TTL_MULTIPLE = 3;

	/**
	 * Registers an instance, or replaces the data of the instance with the same id (keeping its
	 * registration time). Either way the lease starts anew.
	 * @throws StoreUnavailableException when the change cannot be stored now
	 */
	default Registration register(InstanceRegistration registration) {
		return register(registration, Actor.ANYONE);
	}

	/**
	 * As {@link #register(InstanceRegistration)}, owned by {@code actor}.
	 * @throws InstanceOwnedException when the id is taken by an instance the actor may not change
	 */
	default Registration register(InstanceRegistration registration, Actor actor) {
		return register(registration, actor, Registry.UNSEQUENCED);
	}

	/**
	 * As {@link #register(InstanceRegistration, Actor)}, as the client's write number
	 * {@code writeSeq} ({@link Registry#UNSEQUENCED} for none).
	 * @throws StaleWriteException when a store that orders writes already applied a later one
	 */
	Registration register(InstanceRegistration registration, Actor actor, long writeSeq);

	/**
	 * Renews an instance's lease. A lapsed instance comes back at the status it last reported.
	 * @throws InstanceNotFoundException when the instance is not registered (the client should
	 * register again)
	 * @throws StoreUnavailableException when the store cannot record the heartbeat now
	 */
	default void heartbeat(String service, String instanceId) {
		heartbeat(service, instanceId, Actor.ANYONE);
	}

	/**
	 * As {@link #heartbeat(String, String)}, for an actor that may change the instance.
	 * @throws InstanceOwnedException when the actor may not change it
	 */
	void heartbeat(String service, String instanceId, Actor actor);

	/**
	 * Sets the status an instance reports. This also renews its lease: the client is alive.
	 * @throws InstanceNotFoundException when the instance is not registered
	 * @throws StoreUnavailableException when the change cannot be stored now
	 */
	default Instance updateStatus(String service, String instanceId, InstanceStatus status) {
		return updateStatus(service, instanceId, status, ChangeCause.STATUS_CHANGED, Actor.ANYONE);
	}

	/**
	 * As {@link #updateStatus(String, String, InstanceStatus)}, for an actor that may change the
	 * instance, published with the given cause (why the status changed).
	 * @throws InstanceOwnedException when the actor may not change it
	 */
	default Instance updateStatus(String service, String instanceId, InstanceStatus status, ChangeCause cause,
			Actor actor) {
		return updateStatus(service, instanceId, status, cause, actor, Registry.UNSEQUENCED);
	}

	/**
	 * As {@link #updateStatus(String, String, InstanceStatus, ChangeCause, Actor)}, as the client's
	 * write number {@code writeSeq} ({@link Registry#UNSEQUENCED} for none).
	 * @throws StaleWriteException when a store that orders writes already applied a later one
	 */
	Instance updateStatus(String service, String instanceId, InstanceStatus status, ChangeCause cause, Actor actor,
			long writeSeq);

	/**
	 * Removes an instance at its client's request.
	 * @return the instance as it was
	 * @throws InstanceNotFoundException when the instance is not registered
	 * @throws StoreUnavailableException when the change cannot be stored now
	 */
	default Instance deregister(String service, String instanceId) {
		return deregister(service, instanceId, Actor.ANYONE);
	}

	/**
	 * As {@link #deregister(String, String)}, for an actor that may change the instance.
	 * @throws InstanceOwnedException when the actor may not change it
	 */
	Instance deregister(String service, String instanceId, Actor actor);

	/**
	 * Marks an instance DOWN because the connection that bound its liveness closed (cause
	 * {@link ChangeCause#CONNECTION_LOST}), like a lapsed lease: it stays listed, is evicted
	 * {@value #EVICTION_TTL_MULTIPLE} TTLs after its last heartbeat, and a heartbeat brings it back
	 * ({@link ChangeCause#HEARTBEAT_RESUMED}). Nothing happens when the instance is gone or already
	 * effectively DOWN, or (with a store shared by replicas) when this replica no longer owns it:
	 * the client reconnected elsewhere.
	 * @return whether the instance was marked DOWN
	 * @throws StoreUnavailableException when the change cannot be stored now
	 */
	boolean connectionLost(String service, String instanceId);

	/**
	 * Marks lapsed leases DOWN and evicts instances silent for {@value #EVICTION_TTL_MULTIPLE}
	 * TTLs, as of now. Called by a scheduler at a short, fixed interval.
	 * @return how many instances changed
	 */
	int expireLeases();

	/** One instance, any status. */
	Optional<Instance> instance(String service, String instanceId);

	/**
	 * The instances of a service whose status passes the filter, ordered by id. An unknown service
	 * has no instances.
	 */
	ServiceView service(String service, Predicate<InstanceStatus> statusFilter);

	/** Every service with its instance counts by status, by name. */
	List<ServiceSummary> services();

	/**
	 * Opens a watch on some services (all when {@code services} is empty). The listener first gets
	 * the changes after {@code lastIndex} when the store still has them, otherwise a snapshot; then
	 * every change of those services, in order, with nothing missed or repeated in between.
	 */
	Watch watch(Set<String> services, OptionalLong lastIndex, WatchListener listener);

	/** The index of the latest change this store has seen. */
	long index();

	/**
	 * Identifies the history indexes belong to: it changes when that history starts anew (the
	 * memory store restarts), and is the same on every replica sharing one store.
	 */
	String registryId();

	/**
	 * Identifies this process among the replicas sharing the store; a store that lives in one
	 * process has one replica, whose identity is the {@link #registryId()}.
	 */
	default String replicaId() {
		return registryId();
	}

	/** Running totals of what this process did. */
	RegistryStats stats();

	/** Watches open now. */
	int openWatches();

	/** Instances registered now, any status. */
	int size();

	/** Services with at least one instance now. */
	int serviceCount();

	/**
	 * Whether reads may lag behind the shared state: the store lost its connection to where the
	 * state lives and answers from its last view. Always false for a store held in memory.
	 */
	default boolean stale() {
		return false;
	}

	/**
	 * Whether writes may wait for a remote store (a network round trip or more), so that callers on
	 * an event loop must run them elsewhere. False for a store held in memory, whose writes only take
	 * its lock.
	 */
	default boolean writesBlock() {
		return false;
	}

	/**
	 * Whether a heartbeat of this instance may wait for a remote store now. A store whose
	 * heartbeats are mostly kept in memory (etcd: the replica that owns an instance renews its lease
	 * without a round trip) answers false for those, so they stay on the event loop.
	 */
	default boolean heartbeatBlocks(String service, String instanceId) {
		return writesBlock();
	}

}
