package io.beacon.registry.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the registry server, under {@code beacon.registry}.
 */
@ConfigurationProperties("beacon.registry")
@Validated
public class RegistryProperties {

	/**
	 * Where the registry keeps its state: {@code memory} (this process only) or {@code etcd}
	 * (shared by replicas, see {@code beacon.registry.etcd.*}).
	 */
	@NotNull
	private Store store = Store.MEMORY;

	/**
	 * Lease TTL for instances that register without asking for one (1 s to 1 h).
	 */
	@NotNull
	@DurationMin(seconds = 1)
	@DurationMax(seconds = 3600)
	private Duration defaultLeaseTtl = Duration.ofSeconds(15);

	/**
	 * How often leases are checked: a lapsed lease is marked DOWN at most this long after it lapses.
	 */
	@NotNull
	@DurationMin(millis = 10)
	@DurationMax(seconds = 1)
	private Duration leaseCheckInterval = Duration.ofMillis(250);

	/**
	 * Largest request body accepted; a larger one is answered with 413.
	 */
	@NotNull
	private DataSize maxRequestBody = DataSize.ofKilobytes(64);

	/**
	 * How long a client may take to send a request body before it is answered with 408.
	 */
	@NotNull
	@DurationMin(millis = 100)
	@DurationMax(minutes = 5)
	private Duration requestReadTimeout = Duration.ofSeconds(10);

	/**
	 * How long an instance's lease stream may stay closed before the instance is marked DOWN with
	 * cause connection_lost; a stream reopened within it (a network blip, a registry failover)
	 * marks nothing.
	 */
	@NotNull
	@DurationMin(millis = 10)
	@DurationMax(minutes = 1)
	private Duration connectionGrace = Duration.ofMillis(250);

	/**
	 * The watch (Server-Sent Events) channel.
	 */
	@Valid
	private final Watch watch = new Watch();

	/**
	 * The lease stream each registered instance may hold open to bind its liveness to a connection.
	 */
	@Valid
	private final LeaseStream leaseStream = new LeaseStream();

	/**
	 * The live dashboard at {@code /}.
	 */
	private final Ui ui = new Ui();

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public Duration getDefaultLeaseTtl() {
		return this.defaultLeaseTtl;
	}

	public void setDefaultLeaseTtl(Duration defaultLeaseTtl) {
		this.defaultLeaseTtl = defaultLeaseTtl;
	}

	public Duration getLeaseCheckInterval() {
		return this.leaseCheckInterval;
	}

	public void setLeaseCheckInterval(Duration leaseCheckInterval) {
		this.leaseCheckInterval = leaseCheckInterval;
	}

	public DataSize getMaxRequestBody() {
		return this.maxRequestBody;
	}

	public void setMaxRequestBody(DataSize maxRequestBody) {
		this.maxRequestBody = maxRequestBody;
	}

	public Duration getRequestReadTimeout() {
		return this.requestReadTimeout;
	}

	public void setRequestReadTimeout(Duration requestReadTimeout) {
		this.requestReadTimeout = requestReadTimeout;
	}

	/** Keeps the body limit in a range the server can hold in memory per request. */
	@AssertTrue(message = "beacon.registry.max-request-body must be between 1KB and 16MB")
	public boolean isMaxRequestBodyInRange() {
		long bytes = (this.maxRequestBody != null) ? this.maxRequestBody.toBytes() : 0;
		return bytes >= 1024 && bytes <= 16 * 1024 * 1024;
	}

	public Duration getConnectionGrace() {
		return this.connectionGrace;
	}

	public void setConnectionGrace(Duration connectionGrace) {
		this.connectionGrace = connectionGrace;
	}

	public Watch getWatch() {
		return this.watch;
	}

	public LeaseStream getLeaseStream() {
		return this.leaseStream;
	}

	public Ui getUi() {
		return this.ui;
	}

	/**
	 * Settings of the dashboard.
	 */
	public static class Ui {

		/**
		 * Whether the live dashboard is served at {@code /} (its files under {@code /ui/}); when off,
		 * those paths answer 404. The API is unaffected.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Settings of the watch channel.
	 */
	public static class Watch {

		/**
		 * Interval between keep-alive comments on an idle watch stream.
		 */
		@NotNull
		@DurationMin(seconds = 1)
		@DurationMax(minutes = 10)
		private Duration keepAlive = Duration.ofSeconds(15);

		/**
		 * How many recent changes are kept so a watcher that reconnects with Last-Event-ID gets only
		 * what it missed; older indexes get a fresh snapshot.
		 */
		@Min(1)
		@Max(1_000_000)
		private int changeLogCapacity = 8192;

		/**
		 * How many changes may wait for one slow watcher before its stream is closed (it then
		 * reconnects and resumes); this keeps a slow watcher from holding registry memory.
		 */
		@Min(16)
		@Max(1_000_000)
		private int maxPendingEvents = 1024;

		/**
		 * Whether the registry runs its watch path on a private registry and loopback streams in the
		 * background once it is ready, so that the first real changes do not run interpreted code.
		 */
		// The warm-up's bean is conditional on this key; the field gives it binding and metadata.
		private boolean warmUp = true;

		public boolean isWarmUp() {
			return this.warmUp;
		}

		public void setWarmUp(boolean warmUp) {
			this.warmUp = warmUp;
		}

		public Duration getKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(Duration keepAlive) {
			this.keepAlive = keepAlive;
		}

		public int getChangeLogCapacity() {
			return this.changeLogCapacity;
		}

		public void setChangeLogCapacity(int changeLogCapacity) {
			this.changeLogCapacity = changeLogCapacity;
		}

		public int getMaxPendingEvents() {
			return this.maxPendingEvents;
		}

		public void setMaxPendingEvents(int maxPendingEvents) {
			this.maxPendingEvents = maxPendingEvents;
		}

	}

	/**
	 * Settings of the lease streams.
	 */
	public static class LeaseStream {

		/**
		 * Interval between keep-alive comments on a lease stream, so idle proxies keep it open and the
		 * client can tell a dead registry from a quiet one.
		 */
		@NotNull
		@DurationMin(seconds = 1)
		@DurationMax(minutes = 10)
		private Duration keepAlive = Duration.ofSeconds(10);

		/**
		 * How many connection losses of one instance within the flap window mark it DOWN; further
		 * losses in the window are only logged and counted (its lease TTL still applies).
		 */
		@Min(1)
		@Max(1000)
		private int flapLimit = 5;

		/**
		 * The window in which connection losses of one instance are counted against the flap limit.
		 */
		@NotNull
		@DurationMin(seconds = 1)
		@DurationMax(hours = 1)
		private Duration flapWindow = Duration.ofMinutes(1);

		public Duration getKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(Duration keepAlive) {
			this.keepAlive = keepAlive;
		}

		public int getFlapLimit() {
			return this.flapLimit;
		}

		public void setFlapLimit(int flapLimit) {
			this.flapLimit = flapLimit;
		}

		public Duration getFlapWindow() {
			return this.flapWindow;
		}

		public void setFlapWindow(Duration flapWindow) {
			this.flapWindow = flapWindow;
		}

	}

	/**
	 * Where the registry's state lives.
	 */
	public enum Store {

		/** In this process's memory: one registry, the default. */
		MEMORY,

		/** In etcd, shared by every replica with the same prefix. */
		ETCD

	}

}
