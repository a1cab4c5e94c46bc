package io.beacon.client.it;

import java.net.URI;

/**
 * Where a registry is, or will be.
 */
record RegistryServerAddress(URI url) {

	static RegistryServerAddress of(int port) {
		return new RegistryServerAddress(URI.create("http://127.0.0.1:" + port));
	}

}
