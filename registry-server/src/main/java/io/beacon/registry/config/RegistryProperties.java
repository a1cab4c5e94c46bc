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
	 * The watch (Server-Sent Events) channel.
	 */
	@Valid
	private final Watch watch = new Watch();

	/**
	 * The live dashboard at {@code /}.
	 */
	private final Ui ui = new Ui();

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

	public Watch getWatch() {
		return this.watch;
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

}
