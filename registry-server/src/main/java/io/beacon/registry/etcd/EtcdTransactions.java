package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.ReplicaView;
import io.beacon.registry.core.StoreUnavailableException;
import io.beacon.registry.core.StoredInstance;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;

/**
 * How this replica writes to etcd: each change is one transaction, conditioned on the state it
 * was decided on, and answered once this replica's view shows its revision (a client reads its
 * own write wherever it wrote). While etcd has not answered lately nothing is written: the write
 * fails with {@link StoreUnavailableException} rather than change anything in memory only.
 */
final class EtcdTransactions {

	private final Client client;

	private final EtcdRecords records;

	private final EtcdSession session;

	private final ReplicaView view;

	private final String replicaId;

	private final Duration requestTimeout;

	private final BooleanSupplier stale;

	EtcdTransactions(Client client, EtcdRecords records, EtcdSession session, ReplicaView view, String replicaId,
			Duration requestTimeout, BooleanSupplier stale) {
		this.client = client;
		this.records = records;
		this.session = session;
		this.view = view;
		this.replicaId = replicaId;
		this.requestTimeout = requestTimeout;
		this.stale = stale;
	}

	/**
	 * Runs {@code then} if every condition holds, and waits until this replica's view has applied
	 * the transaction's revision (whether or not it succeeded: a failed one read newer state).
	 */
	TxnResponse commit(Cmp[] conditions, Op... then) {
		if (this.stale.getAsBoolean()) {
			throw new StoreUnavailableException("etcd has not answered lately", null);
		}
		TxnResponse response;
		try {
			response = this.client.getKVClient()
				.txn()
				.If(conditions)
				.Then(then)
				.commit()
				.get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
			this.session.contact();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreUnavailableException("interrupted while writing to etcd", ex);
		}
		catch (Exception ex) {
			throw new StoreUnavailableException("etcd did not take the change within " + this.requestTimeout, ex);
		}
		awaitView(response.getHeader().getRevision());
		return response;
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

	// ---- conditions

	/** The instance is stored as it was read ({@code null}: it is not stored). */
	Cmp unchanged(String service, String instanceId, StoredInstance read) {
		return new Cmp(this.records.instanceKey(service, instanceId), Cmp.Op.EQUAL,
				CmpTarget.modRevision((read != null) ? read.revision() : 0));
	}

	Cmp exists(String service, String instanceId) {
		return new Cmp(this.records.instanceKey(service, instanceId), Cmp.Op.GREATER, CmpTarget.version(0));
	}

	Cmp ownedHere(String service, String instanceId) {
		return new Cmp(this.records.ownerKey(service, instanceId), Cmp.Op.EQUAL,
				CmpTarget.value(EtcdRecords.bytes(this.replicaId)));
	}

	Cmp unowned(String service, String instanceId) {
		return new Cmp(this.records.ownerKey(service, instanceId), Cmp.Op.EQUAL, CmpTarget.version(0));
	}

	// ---- operations

	Op put(Instance reported, boolean lapsed, long writeSeq, ChangeCause cause) {
		return Op.put(this.records.instanceKey(reported.service(), reported.instanceId()),
				EtcdRecords.encode(reported, lapsed, writeSeq, cause), PutOption.DEFAULT);
	}

	/** Makes this replica the instance's owner, for as long as its session lives. */
	Op ownHere(String service, String instanceId) {
		return Op.put(this.records.ownerKey(service, instanceId), EtcdRecords.bytes(this.replicaId),
				PutOption.builder().withLeaseId(this.session.leaseId()).build());
	}

	/** Removes the instance and its owner key, and records why (watchers are told). */
	Op[] removal(String service, String instanceId, ChangeCause cause) {
		return new Op[] { Op.delete(this.records.instanceKey(service, instanceId), DeleteOption.DEFAULT),
				Op.delete(this.records.ownerKey(service, instanceId), DeleteOption.DEFAULT),
				Op.put(this.records.removedKey(), EtcdRecords.encodeRemoval(service, instanceId, cause),
						PutOption.DEFAULT) };
	}

}
