package io.beacon.client.registration;

import java.util.Map;

/**
 * Adds metadata to what this application registers, worked out when it registers (its web server
 * is up by then). Metadata configured under {@code beacon.client.metadata} wins over contributed
 * metadata with the same key.
 */
@FunctionalInterface
public interface MetadataContributor {

	/** The pairs to add, never {@code null}. */
	Map<String, String> metadata();

}
