package io.beacon.registry.api;

import java.time.Duration;
import java.util.ArrayDeque;

import io.beacon.registry.core.Ticker;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flapping policy of lease streams: an instance whose connection was lost {@code limit} times
 * within the window is not marked DOWN for further losses in that window. Those are counted and
 * logged, one warning per streak; its lease TTL still applies.
 */
final class FlapLimit {

	private static final Logger logger = LoggerFactory.getLogger(FlapLimit.class);

	private final int limit;

	private final Duration window;

	private final Ticker ticker;

	private final Counter suppressed;

	FlapLimit(int limit, Duration window, Ticker ticker, Counter suppressed) {
		this.limit = limit;
		this.window = window;
		this.ticker = ticker;
		this.suppressed = suppressed;
	}

	/** One new, empty history of losses. */
	Losses losses() {
		return new Losses();
	}

	/**
	 * The recent losses of one instance; not thread-safe (kept with the instance's binding, changed
	 * under its key).
	 */
	final class Losses {

		/** When the latest losses were reported ({@link Ticker} time), at most the limit of them. */
		private final ArrayDeque<Long> times = new ArrayDeque<>(2);

		private boolean flapping;

		/**
		 * Records a loss of the instance {@code name}.
		 * @return whether it is one too many for the window: the instance must not be marked DOWN
		 */
		boolean tooMany(String name) {
			long now = FlapLimit.this.ticker.nanos();
			long window = FlapLimit.this.window.toNanos();
			while (!this.times.isEmpty() && now - this.times.peekFirst() >= window) {
				this.times.pollFirst();
			}
			boolean tooMany = this.times.size() >= FlapLimit.this.limit;
			this.times.addLast(now);
			if (this.times.size() > FlapLimit.this.limit) {
				this.times.pollFirst();
			}
			if (!tooMany) {
				this.flapping = false;
				return false;
			}
			FlapLimit.this.suppressed.increment();
			if (!this.flapping) {
				this.flapping = true;
				logger.warn("Lease stream of {} is flapping: more than {} connection losses within {}; further losses "
						+ "are not marked DOWN while it keeps flapping (its lease TTL still applies)", name,
						FlapLimit.this.limit, FlapLimit.this.window);
			}
			return true;
		}

	}

}
