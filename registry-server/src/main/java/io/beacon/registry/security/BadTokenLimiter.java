package io.beacon.registry.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts bad tokens per remote address in fixed windows. An address over the limit has its bad
 * tokens answered with 429 until its window ends; its good tokens still pass, so a service sharing
 * an address (a host, a NAT) with a misbehaving client is not slowed. Nothing here sleeps: a
 * refusal costs a caller no more time than an acceptance.
 * <p>
 * At most {@code maxAddresses} addresses are tracked; when that many are, expired windows are
 * dropped, and addresses beyond the bound are not limited (memory stays bounded under a flood from
 * many addresses, each of which still gets plain 401s).
 */
final class BadTokenLimiter {

	private static final Logger logger = LoggerFactory.getLogger(BadTokenLimiter.class);

	private final Clock clock;

	private final int limit;

	private final long windowMillis;

	private final int maxAddresses;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	BadTokenLimiter(Clock clock, int limit, Duration window, int maxAddresses) {
		this.clock = clock;
		this.limit = limit;
		this.windowMillis = window.toMillis();
		this.maxAddresses = maxAddresses;
	}

	/**
	 * @return seconds until the address may try again if it is over the limit, else 0
	 */
	long blockedFor(String address) {
		Window window = this.windows.get(address);
		if (window == null) {
			return 0;
		}
		long now = this.clock.millis();
		synchronized (window) {
			if (now >= window.start + this.windowMillis || window.count < this.limit) {
				return 0;
			}
			return Math.max(1, (window.start + this.windowMillis - now + 999) / 1000);
		}
	}

	/** Records one bad token from the address. */
	void recordBadToken(String address) {
		long now = this.clock.millis();
		Window window = this.windows.get(address);
		if (window == null) {
			if (this.windows.size() >= this.maxAddresses) {
				this.windows.values().removeIf((w) -> w.expired(now, this.windowMillis));
				if (this.windows.size() >= this.maxAddresses) {
					return;
				}
			}
			window = this.windows.computeIfAbsent(address, (key) -> new Window(now));
		}
		synchronized (window) {
			if (now >= window.start + this.windowMillis) {
				window.start = now;
				window.count = 0;
			}
			window.count++;
			if (window.count == this.limit) {
				logger.warn("{} bad tokens from {} within {} ms: its bad tokens are answered with 429 for the rest "
						+ "of that time", this.limit, address, this.windowMillis);
			}
		}
	}

	int trackedAddresses() {
		return this.windows.size();
	}

	private static final class Window {

		long start;

		int count;

		Window(long start) {
			this.start = start;
		}

		synchronized boolean expired(long now, long windowMillis) {
			return now >= this.start + windowMillis;
		}

	}

}
