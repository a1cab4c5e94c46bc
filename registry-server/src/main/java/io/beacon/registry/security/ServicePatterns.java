package io.beacon.registry.security;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The services a token may register: names, or globs where {@code *} stands for any run of
 * characters ({@code payment-*}). Names are compared lower-case, as the registry stores them.
 */
final class ServicePatterns {

	static final ServicePatterns ALL = new ServicePatterns(List.of("*"));

	private final List<String> patterns;

	private final List<Pattern> compiled;

	private final boolean all;

	ServicePatterns(List<String> patterns) {
		this.patterns = patterns.stream().map((p) -> p.trim().toLowerCase(Locale.ROOT)).toList();
		this.compiled = this.patterns.stream().map(ServicePatterns::compile).toList();
		this.all = this.patterns.contains("*");
	}

	private static Pattern compile(String glob) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString());
	}

	boolean matches(String service) {
		if (this.all) {
			return true;
		}
		for (Pattern pattern : this.compiled) {
			if (pattern.matcher(service).matches()) {
				return true;
			}
		}
		return false;
	}

	List<String> patterns() {
		return this.patterns;
	}

}
