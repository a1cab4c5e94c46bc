package io.beacon.registry.etcd;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import io.beacon.registry.core.Actor;
import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceOwnedException;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registration;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.RegistryStats;
import io.beacon.registry.core.ReplicaView;
import io.beacon.registry.core.StaleWriteException;
import io.beacon.registry.core.StoreUnavailableException;
import io.beacon.registry.core.StoredInstance;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes clients ask for: register, heartbeat, status, deregister. Each is decided on the
 * instance as this replica's view holds it and written in a transaction conditioned on etcd still
 * holding that version, retried a few times when another write came first. The instance's record
 * keeps the highest write sequence applied, so the stale-write check made against the record read
 * holds in the transaction that writes.
 */
final class EtcdWrites {

	private static final Logger logger = LoggerFactory.getLogger(EtcdWrites.class);

	private static final int CONFLICT_RETRIES = 5;

	private final ReplicaView view;

	private final EtcdTransactions transactions;

	private final EtcdLiveness liveness;

	private final Clock clock;

	private final RegistryStats stats;

	EtcdWrites(ReplicaView view, EtcdTransactions transactions, EtcdLiveness liveness, Clock clock,
			RegistryStats stats) {
		this.view = view;
		this.transactions = transactions;
		this.liveness = liveness;
		this.clock = clock;
		this.stats = stats;
	}

	Registration register(InstanceRegistration registration, Actor actor, long writeSeq) {
		InstanceRegistration data = (registration.instanceId() != null) ? registration
				: registration.withInstanceId(UUID.randomUUID().toString());
		String service = data.service();
		String id = data.instanceId();
		this.stats.countRegistration();
		for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
			StoredInstance existing = this.view.stored(service, id).orElse(null);
			if (existing != null && !actor.mayChange(existing.reported().owner())) {
				throw new InstanceOwnedException(service, id);
			}
			checkSequence(existing, writeSeq);
			if (existing != null && !existing.lapsed() && sameData(existing.reported(), data)
					&& Objects.equals(existing.reported().owner(), actor.name())) {
				this.liveness.renew(service, id, actor);
				if (recordSequence(existing, writeSeq)) {
					return new Registration(existing.effective(), false);
				}
				continue;
			}
			Instant now = this.clock.instant();
			Instant registeredAt = (existing != null) ? existing.reported().registeredAt() : now;
			Instance reported = new Instance(id, service, data.host(), data.port(), data.secure(), data.status(),
					data.zone(), data.metadata(), data.leaseTtl(), registeredAt, now, actor.name());
			ChangeCause cause = (existing != null) ? ChangeCause.REREGISTERED : ChangeCause.REGISTERED;
			TxnResponse response = this.transactions.commit(
					new Cmp[] { this.transactions.unchanged(service, id, existing) },
					this.transactions.put(reported, false, applied(existing, writeSeq), cause),
					this.transactions.ownHere(service, id));
			if (response.isSucceeded()) {
				this.liveness.renewed(service, id);
				logger.info("{} {}/{} at {}:{} as {}", (existing != null) ? "Re-registered" : "Registered", service,
						id, data.host(), data.port(), data.status());
				return new Registration(this.view.instance(service, id).orElse(reported), existing == null);
			}
		}
		throw new StoreUnavailableException("registration of " + service + "/" + id
				+ " kept conflicting with other writes", null);
	}

	private static boolean sameData(Instance stored, InstanceRegistration data) {
		return stored.host().equals(data.host()) && stored.port() == data.port() && stored.secure() == data.secure()
				&& stored.status() == data.status() && Objects.equals(stored.zone(), data.zone())
				&& stored.metadata().equals(data.metadata()) && stored.leaseTtl().equals(data.leaseTtl());
	}

	void heartbeat(String service, String instanceId, Actor actor) {
		StoredInstance stored = this.liveness.renew(service, instanceId, actor);
		this.stats.countHeartbeat();
		if (stored.lapsed()) {
			rewrite(service, instanceId, Registry.UNSEQUENCED, (s) -> s.lapsed() ? s.reported() : null,
					ChangeCause.HEARTBEAT_RESUMED);
			logger.info("Lease of {}/{} renewed after it lapsed", service, instanceId);
		}
	}

	Instance updateStatus(String service, String instanceId, InstanceStatus status, ChangeCause cause, Actor actor,
			long writeSeq) {
		// Refused before the lease is renewed: a stale write changes nothing, as in the memory store.
		StoredInstance seen = this.view.stored(service, instanceId).orElse(null);
		if (seen != null && !actor.mayChange(seen.reported().owner())) {
			throw new InstanceOwnedException(service, instanceId);
		}
		checkSequence(seen, writeSeq);
		StoredInstance stored = this.liveness.renew(service, instanceId, actor);
		ChangeCause written = (stored.reported().status() != status) ? cause : ChangeCause.HEARTBEAT_RESUMED;
		Instance changed = rewrite(service, instanceId, writeSeq,
				(s) -> (s.reported().status() == status && !s.lapsed()) ? null : withStatus(s.reported(), status),
				written);
		if (stored.reported().status() != status) {
			logger.info("Status of {}/{}: {} -> {}", service, instanceId, stored.reported().status(), status);
		}
		return changed;
	}

	/**
	 * Writes a new version of an instance (not lapsed, renewed now), conditioned on the version
	 * read, retrying on conflicts; a write with a newer sequence than the stored one is recorded
	 * even when it changes nothing else.
	 * @param change the new reported instance from the stored one, or null when nothing is left to do
	 */
	private Instance rewrite(String service, String instanceId, long writeSeq, Function<StoredInstance, Instance> change,
			ChangeCause cause) {
		for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
			StoredInstance stored = this.view.stored(service, instanceId)
				.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
			checkSequence(stored, writeSeq);
			Instance next = change.apply(stored);
			if (next == null) {
				if (recordSequence(stored, writeSeq)) {
					return stored.effective();
				}
				continue;
			}
			next = withHeartbeat(next, this.clock.instant());
			TxnResponse response = this.transactions.commit(
					new Cmp[] { this.transactions.unchanged(service, instanceId, stored) },
					this.transactions.put(next, false, applied(stored, writeSeq), cause));
			if (response.isSucceeded()) {
				return this.view.instance(service, instanceId).orElse(next);
			}
		}
		throw new StoreUnavailableException("change of " + service + "/" + instanceId
				+ " kept conflicting with other writes", null);
	}

	Instance deregister(String service, String instanceId, Actor actor) {
		StoredInstance stored = this.view.stored(service, instanceId)
			.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
		if (!actor.mayChange(stored.reported().owner())) {
			throw new InstanceOwnedException(service, instanceId);
		}
		TxnResponse response = this.transactions.commit(
				new Cmp[] { this.transactions.exists(service, instanceId) },
				this.transactions.removal(service, instanceId, ChangeCause.DEREGISTERED));
		if (!response.isSucceeded()) {
			throw new InstanceNotFoundException(service, instanceId);
		}
		this.liveness.removed(EtcdLiveness.name(service, instanceId));
		this.stats.countDeregistration();
		logger.info("Deregistered {}/{}", service, instanceId);
		return stored.effective();
	}

	// ---- write sequences

	/** Refuses a sequenced write older than one the stored instance already applied. */
	private static void checkSequence(StoredInstance stored, long writeSeq) {
		if (stored != null && writeSeq != Registry.UNSEQUENCED && writeSeq < stored.writeSeq()) {
			Instance instance = stored.reported();
			logger.info("Refused a stale write to {}/{}: sequence {} is older than the applied {}", instance.service(),
					instance.instanceId(), writeSeq, stored.writeSeq());
			throw new StaleWriteException(instance.service(), instance.instanceId(), writeSeq, stored.writeSeq());
		}
	}

	/** The sequence the instance holds once this write is applied: an unsequenced one leaves it. */
	private static long applied(StoredInstance stored, long writeSeq) {
		long held = (stored != null) ? stored.writeSeq() : Registry.UNSEQUENCED;
		return (writeSeq == Registry.UNSEQUENCED) ? held : Math.max(held, writeSeq);
	}

	/**
	 * Records a newer write sequence on an instance the write otherwise leaves as it is (readers
	 * see no change, watchers are told nothing).
	 * @return whether it is recorded (or needed no recording); false when another write came first
	 */
	private boolean recordSequence(StoredInstance stored, long writeSeq) {
		if (applied(stored, writeSeq) == stored.writeSeq()) {
			return true;
		}
		Instance instance = stored.reported();
		Op put = this.transactions.put(instance, stored.lapsed(), writeSeq, ChangeCause.REREGISTERED);
		return this.transactions.commit(
				new Cmp[] { this.transactions.unchanged(instance.service(), instance.instanceId(), stored) }, put)
			.isSucceeded();
	}

	private static Instance withStatus(Instance i, InstanceStatus status) {
		return new Instance(i.instanceId(), i.service(), i.host(), i.port(), i.secure(), status, i.zone(),
				i.metadata(), i.leaseTtl(), i.registeredAt(), i.lastHeartbeatAt(), i.owner());
	}

	private static Instance withHeartbeat(Instance i, Instant at) {
		return new Instance(i.instanceId(), i.service(), i.host(), i.port(), i.secure(), i.status(), i.zone(),
				i.metadata(), i.leaseTtl(), i.registeredAt(), at, i.owner());
	}

}
