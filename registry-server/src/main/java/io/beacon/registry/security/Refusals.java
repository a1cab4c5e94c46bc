package io.beacon.registry.security;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts refused requests by reason ({@code beacon.registry.security.refusals}). The tags are the
 * fixed reasons only: never a token, a hash or a token name.
 */
public class Refusals {

	/** Counts nothing (security off). */
	static final Refusals NONE = new Refusals();

	private final Map<Refusal, Counter> counters = new EnumMap<>(Refusal.class);

	private Refusals() {
	}

	public Refusals(MeterRegistry meters) {
		for (Refusal reason : Refusal.values()) {
			this.counters.put(reason,
					Counter.builder("beacon.registry.security.refusals")
						.description("Requests refused by the registry's access check, by reason")
						.tag("reason", reason.tag())
						.register(meters));
		}
	}

	void refused(Refusal reason) {
		Counter counter = this.counters.get(reason);
		if (counter != null) {
			counter.increment();
		}
	}

}
