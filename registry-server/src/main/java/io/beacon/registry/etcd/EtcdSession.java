package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.Ticker;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's etcd session: a lease kept alive for as long as the process runs. Ownership keys
 * are attached to it, so they vanish when the replica dies. It also tells whether etcd answered
 * lately: a keep-alive needs a leader, so quorum loss shows here first.
 */
final class EtcdSession implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdSession.class);

	private final Client client;

	private final Duration ttl;

	private final Duration requestTimeout;

	private final Ticker ticker;

	private volatile long leaseId;

	private volatile boolean lost;

	private volatile long lastContact;

	private volatile CloseableClient keepAlive;

	EtcdSession(Client client, Duration ttl, Duration requestTimeout, Ticker ticker) {
		this.client = client;
		this.ttl = ttl;
		this.requestTimeout = requestTimeout;
		this.ticker = ticker;
	}

	/** Grants a new lease and keeps it alive; throws when etcd does not answer in time. */
	void open() throws Exception {
		keepAlive(grant(this.client, this.ttl).get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
	}

	/** Requests a session lease of {@code ttl}; completes with its id. */
	static CompletableFuture<Long> grant(Client client, Duration ttl) {
		return client.getLeaseClient().grant(ttl.toSeconds()).thenApply(LeaseGrantResponse::getID);
	}

	/** Keeps the lease {@code id} (granted by {@link #grant}) alive as this session's. */
	void adopt(long id) {
		keepAlive(id);
	}

	private void keepAlive(long id) {
		this.leaseId = id;
		this.lost = false;
		contact();
		this.keepAlive = this.client.getLeaseClient().keepAlive(id, new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
				if (response.getTTL() > 0) {
					contact();
				}
			}

			@Override
			public void onError(Throwable ex) {
				logger.warn("etcd session lease {} lost: {}", Long.toHexString(id), ex.toString());
				EtcdSession.this.lost = true;
			}

			@Override
			public void onCompleted() {
				EtcdSession.this.lost = true;
			}
		});
	}

	/** Opens a new session when the last one was lost; a no-op otherwise. */
	void renewIfLost() {
		if (!this.lost) {
			return;
		}
		close();
		try {
			// The lease may have outlived the broken stream (etcd restarted within its TTL): keep it,
			// and with it this replica's ownerships.
			long old = this.leaseId;
			long left = this.client.getLeaseClient()
				.keepAliveOnce(old)
				.get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.getTTL();
			if (left > 0) {
				keepAlive(old);
				logger.info("etcd session lease {} kept alive again", Long.toHexString(old));
				return;
			}
		}
		catch (Exception ex) {
			logger.debug("etcd session lease not kept: {}", ex.toString());
		}
		try {
			open();
			logger.info("etcd session renewed with lease {}", Long.toHexString(this.leaseId));
		}
		catch (Exception ex) {
			logger.debug("etcd session not renewed yet: {}", ex.toString());
		}
	}

	long leaseId() {
		return this.leaseId;
	}

	/** Records that etcd answered a request. */
	void contact() {
		this.lastContact = this.ticker.nanos();
	}

	/** Whether etcd has not answered for longer than two thirds of the session TTL. */
	boolean unreachable() {
		return this.lost || this.ticker.nanos() - this.lastContact > this.ttl.toNanos() * 2 / 3;
	}

	@Override
	public void close() {
		CloseableClient current = this.keepAlive;
		if (current != null) {
			current.close();
		}
	}

	/** Ends the session for good, so others take over this replica's instances after their grace. */
	void revoke() {
		close();
		try {
			this.client.getLeaseClient().revoke(this.leaseId).get(this.requestTimeout.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			logger.debug("etcd session lease not revoked: {}", ex.toString());
		}
	}

}
