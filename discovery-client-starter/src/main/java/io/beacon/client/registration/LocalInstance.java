package io.beacon.client.registration;

import java.time.Duration;
import java.util.Map;

/**
 * This application as it registers itself.
 *
 * @param service the service name
 * @param instanceId the instance id
 * @param host the address other services reach it at
 * @param port the port it serves on
 * @param secure whether it speaks TLS
 * @param zone its zone, or {@code null}
 * @param metadata free-form string pairs
 * @param leaseTtl the lease it asks the registry for
 */
public record LocalInstance(String service, String instanceId, String host, int port, boolean secure, String zone,
		Map<String, String> metadata, Duration leaseTtl) {

	public LocalInstance {
		metadata = Map.copyOf(metadata);
	}

}
