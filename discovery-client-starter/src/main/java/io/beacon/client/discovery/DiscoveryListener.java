package io.beacon.client.discovery;

/**
 * Told about every change to the cached view, on the thread that applied it: do not block.
 */
@FunctionalInterface
public interface DiscoveryListener {

	void onEvent(DiscoveryEvent event);

}
