package io.beacon.registry.http;

import io.beacon.registry.core.Registry;

/**
 * The {@code Beacon-Index} header every response carries, API and actuator alike: the registry
 * index as of the moment the response is sent, so a client can tell how fresh what it read is.
 */
public final class IndexHeader {

	public static final String NAME = "Beacon-Index";

	private final Registry registry;

	public IndexHeader(Registry registry) {
		this.registry = registry;
	}

	/** The header's value now. */
	public String value() {
		return Long.toString(this.registry.index());
	}

}
