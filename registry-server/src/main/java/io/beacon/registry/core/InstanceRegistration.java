package io.beacon.registry.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client asks to register: an instance's address, status and metadata. Built only through
 * {@link #validated}, so every value the registry holds has passed the rules.
 *
 * @param service the normalized (lower-case) service name
 * @param instanceId the instance id, or {@code null} for the registry to make one
 * @param host IPv4, IPv6 or DNS name
 * @param port 1-65535
 * @param secure whether the instance speaks TLS
 * @param status the status reported at registration
 * @param zone optional zone, {@code null} when not given
 * @param metadata free-form string pairs, never {@code null}
 * @param leaseTtlSeconds the lease the client asks for
 */
public record InstanceRegistration(String service, String instanceId, String host, int port, boolean secure,
		InstanceStatus status, String zone, Map<String, String> metadata, int leaseTtlSeconds) {

	/**
	 * Checks every field and reports all broken rules at once.
	 * @throws InvalidInputException listing each field that breaks a rule
	 */
	public static InstanceRegistration validated(String service, String instanceId, String host, Integer port,
			Boolean secure, InstanceStatus status, String zone, Map<String, String> metadata,
			Integer leaseTtlSeconds, int defaultLeaseTtlSeconds) {
		List<Violation> violations = new ArrayList<>();
		String normalizedService = null;
		try {
			normalizedService = Validation.service("service", service);
		}
		catch (InvalidInputException ex) {
			violations.addAll(ex.getViolations());
		}
		if (instanceId != null) {
			addIfBroken(violations, "instanceId", Validation.checkInstanceId(instanceId), instanceId);
		}
		if (host == null) {
			violations.add(new Violation("host", "is required"));
		}
		else {
			addIfBroken(violations, "host", Validation.checkHost(host), host);
		}
		if (port == null) {
			violations.add(new Violation("port", "is required"));
		}
		else if (port < 1 || port > 65535) {
			violations.add(new Violation("port", "must be between 1 and 65535 (got " + port + ")"));
		}
		if (zone != null) {
			addIfBroken(violations, "zone", Validation.checkZone(zone), zone);
		}
		Map<String, String> safeMetadata = (metadata != null) ? metadata : Map.of();
		Validation.checkMetadata(safeMetadata, violations);
		int ttl = (leaseTtlSeconds != null) ? leaseTtlSeconds : defaultLeaseTtlSeconds;
		if (ttl < Validation.MIN_LEASE_TTL_SECONDS || ttl > Validation.MAX_LEASE_TTL_SECONDS) {
			violations.add(new Violation("leaseTtlSeconds", "must be between " + Validation.MIN_LEASE_TTL_SECONDS + " and "
					+ Validation.MAX_LEASE_TTL_SECONDS + " (got " + ttl + ")"));
		}
		if (!violations.isEmpty()) {
			throw new InvalidInputException(violations);
		}
		return new InstanceRegistration(normalizedService, instanceId, host, port, Boolean.TRUE.equals(secure),
				(status != null) ? status : InstanceStatus.UP, zone, copyOf(safeMetadata), ttl);
	}

	private static void addIfBroken(List<Violation> violations, String field, String problem, String value) {
		if (problem != null) {
			violations.add(new Violation(field, problem, value));
		}
	}

	private static Map<String, String> copyOf(Map<String, String> metadata) {
		// Keeps the client's order for display, and is immutable so snapshots can share it.
		return metadata.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
	}

	InstanceRegistration withInstanceId(String id) {
		return new InstanceRegistration(this.service, id, this.host, this.port, this.secure, this.status, this.zone,
				this.metadata, this.leaseTtlSeconds);
	}

	/**
	 * Whether two registrations describe the same instance in the same way (the id aside).
	 */
	boolean sameDataAs(InstanceRegistration other) {
		return this.port == other.port && this.secure == other.secure && this.leaseTtlSeconds == other.leaseTtlSeconds
				&& this.status == other.status && this.host.equals(other.host)
				&& java.util.Objects.equals(this.zone, other.zone) && this.metadata.equals(other.metadata);
	}

}
