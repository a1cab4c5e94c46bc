package io.beacon.client.registry;

import java.time.Duration;

/**
 * How long a watch stream may stay silent before it counts as broken. The registry sends a
 * keep-alive comment on an idle stream and announces its interval in the {@value #KEEP_ALIVE_HEADER}
 * response header (an ISO-8601 duration such as {@code PT15S}); the stream is given up after
 * {@value #MISSED_KEEP_ALIVES} of those intervals, so one late keep-alive does not cut it. A timeout
 * set explicitly wins; a registry that announces nothing gets the fallback.
 *
 * @param configured the timeout set explicitly, or {@code null} to follow the registry
 * @param fallback the timeout for a registry that announces no keep-alive interval
 */
public record WatchIdleTimeout(Duration configured, Duration fallback) {

	/** The response header in which the registry announces its keep-alive interval. */
	public static final String KEEP_ALIVE_HEADER = "Beacon-Keep-Alive";

	/** How many keep-alive intervals may pass in silence. */
	public static final int MISSED_KEEP_ALIVES = 3;

	/** Without a setting, and from a registry that announces nothing. */
	public static final Duration DEFAULT = Duration.ofSeconds(45);

	public WatchIdleTimeout {
		if (fallback == null || fallback.isNegative() || fallback.isZero()) {
			throw new IllegalArgumentException("The watch idle timeout fallback must be positive, got " + fallback);
		}
		if (configured != null && (configured.isNegative() || configured.isZero())) {
			throw new IllegalArgumentException("The watch idle timeout must be positive, got " + configured);
		}
	}

	/** Follows the registry's keep-alive interval, or {@code configured} when it is not {@code null}. */
	public static WatchIdleTimeout of(Duration configured) {
		return new WatchIdleTimeout(configured, DEFAULT);
	}

	/**
	 * @param announced the keep-alive interval the registry announced, or {@code null} (also for a
	 * zero or negative one)
	 * @return the idle timeout for this stream
	 */
	public Duration forKeepAlive(Duration announced) {
		if (this.configured != null) {
			return this.configured;
		}
		if (announced == null || announced.isNegative() || announced.isZero()) {
			return this.fallback;
		}
		return announced.multipliedBy(MISSED_KEEP_ALIVES);
	}

}
