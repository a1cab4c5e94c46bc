package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.registry.core.Ticker;
import io.etcd.jetcd.Client;

/**
 * What a replica starts from, asked of etcd at once and both at the same time: its session lease
 * and the whole registry (read in pages on the etcd client's threads). Begun early, while the rest
 * of the process starts, it lets a restarted replica serve sooner; {@link EtcdRegistry#connect}
 * takes it over. Closing one that was never taken over closes its client (and with it the lease
 * request: an ungranted or unused lease expires after its TTL).
 */
public final class EtcdStart implements AutoCloseable {

	private final EtcdSettings settings;

	private final Client client;

	private final CompletableFuture<Granted> lease;

	private final CompletableFuture<EtcdState> state;

	private final AtomicBoolean taken = new AtomicBoolean();

	private EtcdStart(EtcdSettings settings, Client client) {
		this.settings = settings;
		this.client = client;
		this.lease = EtcdSession.grant(client, settings.sessionTtl())
			.thenApply((id) -> new Granted(id, Ticker.system().nanos()));
		this.state = EtcdState.readAsync(client, new EtcdRecords(settings.prefix()));
	}

	/** Connects to etcd and sends both requests; returns at once. */
	public static EtcdStart begin(EtcdSettings settings) {
		Client client = Client.builder()
			.endpoints(settings.endpoints().toArray(String[]::new))
			.connectTimeout(settings.connectTimeout())
			.maxInboundMessageSize(EtcdRegistry.MAX_MESSAGE_BYTES)
			.build();
		return new EtcdStart(settings, client);
	}

	/** The settings it was begun with. */
	public EtcdSettings settings() {
		return this.settings;
	}

	/** Hands the client over (once): from now on whoever took it closes it; this start no longer does. */
	Client take() {
		if (!this.taken.compareAndSet(false, true)) {
			throw new IllegalStateException("this etcd start was already taken over");
		}
		return this.client;
	}

	/** Whether a replica took its client over (or it was closed). */
	public boolean takenOver() {
		return this.taken.get();
	}

	/**
	 * The session lease's id, waiting at most {@code timeout} from now; empty when it was granted
	 * more than half its TTL ago (a start that took that long): unkept since, it may be about to
	 * expire, and the replica asks for a new one instead.
	 */
	OptionalLong freshLease(Duration timeout) throws Exception {
		Granted granted = this.lease.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		long age = Ticker.system().nanos() - granted.atNanos();
		return (age <= this.settings.sessionTtl().toNanos() / 2) ? OptionalLong.of(granted.id())
				: OptionalLong.empty();
	}

	/** The registry as etcd holds it, waiting at most {@code timeout} from now. */
	EtcdState state(Duration timeout) throws Exception {
		return this.state.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		if (this.taken.compareAndSet(false, true)) {
			this.state.cancel(false);
			this.client.close();
		}
	}

	/** A granted lease: its id and when it was granted ({@link Ticker#system()}). */
	private record Granted(long id, long atNanos) {
	}

}
