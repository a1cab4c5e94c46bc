package io.beacon.registry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a client asks to register: an instance's address, status, metadata and lease. Built only
 * through {@link #builder()}, whose {@link Builder#build()} checks every field, so every value the
 * registry holds has passed the rules.
 *
 * @param service the normalized (lower-case) service name
 * @param instanceId the instance id, or {@code null} for the registry to make one
 * @param host IPv4, IPv6 or DNS name
 * @param port 1-65535
 * @param secure whether the instance speaks TLS
 * @param status the status reported at registration
 * @param zone optional zone, {@code null} when not given
 * @param metadata free-form string pairs, never {@code null}
 * @param leaseTtl how long the lease lasts without a heartbeat
 */
public record InstanceRegistration(String service, String instanceId, String host, int port, boolean secure,
		InstanceStatus status, String zone, Map<String, String> metadata, Duration leaseTtl) {

	/** A registration to fill in field by field; nothing is checked until {@link Builder#build()}. */
	public static Builder builder() {
		return new Builder();
	}

	InstanceRegistration withInstanceId(String id) {
		return new InstanceRegistration(this.service, id, this.host, this.port, this.secure, this.status, this.zone,
				this.metadata, this.leaseTtl);
	}

	InstanceRegistration withStatus(InstanceStatus newStatus) {
		return new InstanceRegistration(this.service, this.instanceId, this.host, this.port, this.secure, newStatus,
				this.zone, this.metadata, this.leaseTtl);
	}

	/**
	 * Whether two registrations describe the same instance in the same way (the id aside).
	 */
	boolean sameDataAs(InstanceRegistration other) {
		return this.port == other.port && this.secure == other.secure && this.leaseTtl.equals(other.leaseTtl)
				&& this.status == other.status && this.host.equals(other.host) && Objects.equals(this.zone, other.zone)
				&& this.metadata.equals(other.metadata);
	}

	/**
	 * The fields of a registration as the client gave them, any of them missing or wrong until
	 * {@link #build()} checks them all.
	 */
	public static final class Builder {

		private String service;

		private String instanceId;

		private String host;

		private Integer port;

		private Boolean secure;

		private InstanceStatus status;

		private String zone;

		private Map<String, String> metadata;

		private Duration leaseTtl;

		private Builder() {
		}

		/** Required: a DNS label, any case. */
		public Builder service(String service) {
			this.service = service;
			return this;
		}

		/** Optional: the registry makes one up when absent. */
		public Builder instanceId(String instanceId) {
			this.instanceId = instanceId;
			return this;
		}

		/** Required: an IPv4 or IPv6 address or a DNS name. */
		public Builder host(String host) {
			this.host = host;
			return this;
		}

		/** Required: 1-65535. */
		public Builder port(Integer port) {
			this.port = port;
			return this;
		}

		/** Optional, {@code false} when absent. */
		public Builder secure(Boolean secure) {
			this.secure = secure;
			return this;
		}

		/** Optional, {@link InstanceStatus#UP} when absent. */
		public Builder status(InstanceStatus status) {
			this.status = status;
			return this;
		}

		/** Optional. */
		public Builder zone(String zone) {
			this.zone = zone;
			return this;
		}

		/** Optional, empty when absent. */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata = metadata;
			return this;
		}

		/** Required: between {@link Validation#MIN_LEASE_TTL} and {@link Validation#MAX_LEASE_TTL}. */
		public Builder leaseTtl(Duration leaseTtl) {
			this.leaseTtl = leaseTtl;
			return this;
		}

		/**
		 * Checks every field and reports all broken rules at once.
		 * @throws InvalidInputException listing each field that breaks a rule
		 */
		public InstanceRegistration build() {
			List<Violation> violations = new ArrayList<>();
			String normalizedService = null;
			try {
				normalizedService = Validation.service("service", this.service);
			}
			catch (InvalidInputException ex) {
				violations.addAll(ex.getViolations());
			}
			if (this.instanceId != null) {
				addIfBroken(violations, "instanceId", Validation.checkInstanceId(this.instanceId), this.instanceId);
			}
			if (this.host == null) {
				violations.add(new Violation("host", "is required"));
			}
			else {
				addIfBroken(violations, "host", Validation.checkHost(this.host), this.host);
			}
			if (this.port == null) {
				violations.add(new Violation("port", "is required"));
			}
			else if (this.port < 1 || this.port > 65535) {
				violations.add(new Violation("port", "must be between 1 and 65535 (got " + this.port + ")"));
			}
			if (this.zone != null) {
				addIfBroken(violations, "zone", Validation.checkZone(this.zone), this.zone);
			}
			Map<String, String> safeMetadata = (this.metadata != null) ? this.metadata : Map.of();
			Validation.checkMetadata(safeMetadata, violations);
			String ttlProblem = Validation.checkLeaseTtl(this.leaseTtl);
			if (ttlProblem != null) {
				violations.add(new Violation("leaseTtl", ttlProblem));
			}
			if (!violations.isEmpty()) {
				throw new InvalidInputException(violations);
			}
			return new InstanceRegistration(normalizedService, this.instanceId, this.host, this.port,
					Boolean.TRUE.equals(this.secure), (this.status != null) ? this.status : InstanceStatus.UP, this.zone,
					copyOf(safeMetadata), this.leaseTtl);
		}

		private static void addIfBroken(List<Violation> violations, String field, String problem, String value) {
			if (problem != null) {
				violations.add(new Violation(field, problem, value));
			}
		}

		private static Map<String, String> copyOf(Map<String, String> metadata) {
			// Keeps the client's order for display, and is immutable so snapshots can share it.
			return metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		}

	}

}
