package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An immutable view of one registered instance at one moment.
 *
 * @param instanceId unique within the service
 * @param service the lower-case service name
 * @param host IPv4, IPv6 or DNS name
 * @param port 1-65535
 * @param secure whether the instance speaks TLS
 * @param status the effective status ({@link InstanceStatus#DOWN} while the lease is lapsed)
 * @param zone optional zone, {@code null} when not given
 * @param metadata free-form string pairs
 * @param leaseTtl how long the lease lasts without a heartbeat
 * @param registeredAt when the instance first registered (kept across re-registrations)
 * @param lastHeartbeatAt when the lease was last renewed; with a store shared by replicas, when a
 * renewal was last written to the store (registration, status change, lease resumption): heartbeats
 * stay in the memory of the replica that receives them, so this may be older than the latest one,
 * and is the same on every replica (whether the instance is alive is its status)
 * @param owner the name of the token that registered it, {@code null} with security off
 */
public record Instance(String instanceId, String service, String host, int port, boolean secure,
		InstanceStatus status, String zone, Map<String, String> metadata, Duration leaseTtl, Instant registeredAt,
		Instant lastHeartbeatAt, String owner) {

	/** An instance without an owner. */
	public Instance(String instanceId, String service, String host, int port, boolean secure, InstanceStatus status,
			String zone, Map<String, String> metadata, Duration leaseTtl, Instant registeredAt,
			Instant lastHeartbeatAt) {
		this(instanceId, service, host, port, secure, status, zone, metadata, leaseTtl, registeredAt, lastHeartbeatAt,
				null);
	}

}
