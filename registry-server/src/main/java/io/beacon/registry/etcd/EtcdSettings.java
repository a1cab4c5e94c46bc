package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd and where the registry lives in it.
 *
 * @param endpoints etcd client URLs
 * @param prefix the key prefix of every key the registry writes
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long a request may take before the store reports etcd unavailable
 * @param sessionTtl TTL of this replica's session lease: how long its instances stay owned by it
 * after it dies
 */
public record EtcdSettings(List<String> endpoints, String prefix, Duration connectTimeout, Duration requestTimeout,
		Duration sessionTtl) {
}
