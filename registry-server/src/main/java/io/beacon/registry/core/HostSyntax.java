package io.beacon.registry.core;

/**
 * Syntax checks for host names and IP literals that never touch the network (no DNS lookups).
 */
final class HostSyntax {

	private HostSyntax() {
	}

	static boolean looksLikeIpv4(String host) {
		for (int i = 0; i < host.length(); i++) {
			char c = host.charAt(i);
			if (c != '.' && (c < '0' || c > '9')) {
				return false;
			}
		}
		return true;
	}

	static boolean isIpv4(String host) {
		String[] parts = host.split("\\.", -1);
		if (parts.length != 4) {
			return false;
		}
		for (String part : parts) {
			if (!isIpv4Octet(part)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isIpv4Octet(String part) {
		if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
			return false;
		}
		for (int i = 0; i < part.length(); i++) {
			if (part.charAt(i) < '0' || part.charAt(i) > '9') {
				return false;
			}
		}
		return Integer.parseInt(part) <= 255;
	}

	/**
	 * An IPv6 address in text form (RFC 4291 section 2.2): eight groups of up to four hex digits,
	 * at most one "::" standing for one or more zero groups, optionally ending in an IPv4 address.
	 */
	static boolean isIpv6(String host) {
		if (host.length() < 2 || host.length() > 45) {
			return false;
		}
		int doubleColon = host.indexOf("::");
		if (doubleColon >= 0 && host.indexOf("::", doubleColon + 1) >= 0) {
			return false;
		}
		String head = doubleColon >= 0 ? host.substring(0, doubleColon) : host;
		String tail = doubleColon >= 0 ? host.substring(doubleColon + 2) : "";
		int headGroups = countGroups(head, doubleColon < 0 || tail.isEmpty());
		int tailGroups = countGroups(tail, true);
		if (headGroups < 0 || tailGroups < 0) {
			return false;
		}
		if (doubleColon >= 0 && !head.isEmpty() && head.indexOf('.') >= 0) {
			return false;
		}
		int groups = headGroups + tailGroups;
		return doubleColon >= 0 ? groups <= 7 : groups == 8;
	}

	/**
	 * Counts the 16-bit groups in a colon-separated run; an IPv4 suffix counts as two.
	 * @return the count, or -1 when the run is malformed
	 */
	private static int countGroups(String run, boolean ipv4AllowedAtEnd) {
		if (run.isEmpty()) {
			return 0;
		}
		String[] parts = run.split(":", -1);
		int groups = 0;
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			if (i == parts.length - 1 && ipv4AllowedAtEnd && part.indexOf('.') >= 0) {
				if (!isIpv4(part)) {
					return -1;
				}
				groups += 2;
			}
			else if (isHexGroup(part)) {
				groups++;
			}
			else {
				return -1;
			}
		}
		return groups;
	}

	private static boolean isHexGroup(String part) {
		if (part.isEmpty() || part.length() > 4) {
			return false;
		}
		for (int i = 0; i < part.length(); i++) {
			// ASCII only: Character.digit would also take other scripts' digits, such as '\uff11'.
			char c = part.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A DNS name (RFC 1123): dot-separated labels of 1-63 letters, digits and '-', not starting or
	 * ending with '-'; an optional trailing dot.
	 */
	static boolean isDnsName(String host) {
		String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
		if (name.isEmpty()) {
			return false;
		}
		for (String label : name.split("\\.", -1)) {
			if (label.isEmpty() || label.length() > 63 || label.charAt(0) == '-'
					|| label.charAt(label.length() - 1) == '-') {
				return false;
			}
			for (int i = 0; i < label.length(); i++) {
				char c = label.charAt(i);
				boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
						|| c == '-';
				if (!allowed) {
					return false;
				}
			}
		}
		return true;
	}

}
