package io.beacon.registry.core;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the registry accepts as a service name, instance id, host, zone, metadata and lease: the
 * limits, and a check for each. A check returns the rule a value breaks, or {@code null} when the
 * value is allowed; the rejected value travels beside the rule in a {@link Violation}, and the
 * edge decides how to show it.
 */
public final class Validation {

	public static final int MAX_INSTANCE_ID_LENGTH = 128;

	public static final int MAX_METADATA_ENTRIES = 64;

	public static final int MAX_METADATA_KEY_LENGTH = 128;

	public static final int MAX_METADATA_VALUE_LENGTH = 1024;

	/** The shortest lease an instance may ask for. */
	public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(1);

	/** The longest lease an instance may ask for. */
	public static final Duration MAX_LEASE_TTL = Duration.ofHours(1);

	private static final int MAX_ZONE_LENGTH = 64;

	private static final int MAX_HOST_LENGTH = 253;

	private Validation() {
	}

	/**
	 * Service names are case-insensitive: this is the stored form.
	 */
	public static String normalizeService(String service) {
		return service.toLowerCase(Locale.ROOT);
	}

	/**
	 * Validates and normalizes a service name.
	 * @throws InvalidInputException naming {@code field} when the name is not a DNS label
	 */
	public static String service(String field, String service) {
		if (service == null) {
			throw new InvalidInputException(field, "is required");
		}
		String normalized = normalizeService(service);
		String problem = checkDnsLabel(normalized);
		if (problem != null) {
			throw new InvalidInputException(new Violation(field, problem, service));
		}
		return normalized;
	}

	/**
	 * Validates an instance id.
	 * @throws InvalidInputException naming {@code field} when the id breaks the rules
	 */
	public static String instanceId(String field, String instanceId) {
		String problem = checkInstanceId(instanceId);
		if (problem != null) {
			throw new InvalidInputException(new Violation(field, problem, instanceId));
		}
		return instanceId;
	}

	static String checkDnsLabel(String name) {
		if (name.isEmpty() || name.length() > 63) {
			return "must be 1-63 characters long";
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
				return "must be a DNS label: only letters a-z, digits and '-'";
			}
		}
		if (name.charAt(0) == '-' || name.charAt(name.length() - 1) == '-') {
			return "must not start or end with '-'";
		}
		return null;
	}

	static String checkInstanceId(String id) {
		if (id == null || id.isEmpty() || id.length() > MAX_INSTANCE_ID_LENGTH) {
			return "must be 1-" + MAX_INSTANCE_ID_LENGTH + " characters long";
		}
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == ':' || c == '-';
			if (!allowed) {
				return "may contain only letters, digits, '.', '_', ':' and '-'";
			}
		}
		return null;
	}

	static String checkHost(String host) {
		if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
			return "must be 1-" + MAX_HOST_LENGTH + " characters long";
		}
		if (host.indexOf(':') >= 0) {
			return HostSyntax.isIpv6(host) ? null : "is not a valid IPv6 address";
		}
		if (HostSyntax.looksLikeIpv4(host)) {
			return HostSyntax.isIpv4(host) ? null : "is not a valid IPv4 address";
		}
		return HostSyntax.isDnsName(host) ? null : "must be an IPv4 address, an IPv6 address or a DNS name";
	}

	static String checkLeaseTtl(Duration ttl) {
		if (ttl == null) {
			return "is required";
		}
		if (ttl.compareTo(MIN_LEASE_TTL) < 0 || ttl.compareTo(MAX_LEASE_TTL) > 0) {
			return "must be between " + MIN_LEASE_TTL + " and " + MAX_LEASE_TTL + " (got " + ttl + ")";
		}
		return null;
	}

	static String checkZone(String zone) {
		if (zone.isEmpty() || zone.length() > MAX_ZONE_LENGTH) {
			return "must be 1-" + MAX_ZONE_LENGTH + " characters long";
		}
		for (int i = 0; i < zone.length(); i++) {
			char c = zone.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == '-';
			if (!allowed) {
				return "may contain only letters, digits, '.', '_' and '-'";
			}
		}
		return null;
	}

	static void checkMetadata(Map<String, String> metadata, List<Violation> violations) {
		if (metadata.size() > MAX_METADATA_ENTRIES) {
			violations.add(new Violation("metadata",
					"may have at most " + MAX_METADATA_ENTRIES + " entries (got " + metadata.size() + ")"));
			return;
		}
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			String key = entry.getKey();
			String field = "metadata." + key;
			if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
				violations.add(new Violation(field, "keys must be 1-" + MAX_METADATA_KEY_LENGTH + " characters long"));
			}
			else if (hasControlCharacter(key)) {
				violations.add(new Violation(field, "keys must not contain control characters"));
			}
			String value = entry.getValue();
			if (value == null) {
				violations.add(new Violation(field, "values must be strings, not null"));
			}
			else if (value.length() > MAX_METADATA_VALUE_LENGTH) {
				violations.add(new Violation(field,
						"values may be at most " + MAX_METADATA_VALUE_LENGTH + " characters long (got " + value.length()
								+ ")"));
			}
			else if (hasControlCharacter(value)) {
				violations.add(new Violation(field, "values must not contain control characters"));
			}
		}
	}

	static boolean hasControlCharacter(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c) && !validSurrogateAt(text, i)) {
				return true;
			}
		}
		return false;
	}

	private static boolean validSurrogateAt(String text, int i) {
		char c = text.charAt(i);
		if (Character.isHighSurrogate(c)) {
			return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
		}
		return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
	}

}
