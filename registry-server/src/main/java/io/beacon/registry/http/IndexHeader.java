package io.beacon.registry.http;

import io.beacon.registry.core.RegistryStore;

/**
 * The {@code Beacon-Index} header every response carries, API and actuator alike: the registry
 * index as of the moment the response is sent, so a client can tell how fresh what it read is.
 */
public final class IndexHeader {

	public static final String NAME = "Beacon-Index";

	/** Sent as {@code Beacon-Stale: true} while the store answers from a view it cannot refresh. */
	public static final String STALE = "Beacon-Stale";

	private final RegistryStore registry;

	public IndexHeader(RegistryStore registry) {
		this.registry = registry;
	}

	/** The header's value now. */
	public String value() {
		return Long.toString(this.registry.index());
	}

	/** Whether reads may lag behind the shared state now (see {@link RegistryStore#stale()}). */
	public boolean stale() {
		return this.registry.stale();
	}

}
