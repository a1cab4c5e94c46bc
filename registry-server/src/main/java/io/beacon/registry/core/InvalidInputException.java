package io.beacon.registry.core;

import java.util.List;

/**
 * Client input that breaks one or more rules. Nothing in the registry was changed.
 */
public class InvalidInputException extends RuntimeException {

	private final List<Violation> violations;

	public InvalidInputException(List<Violation> violations) {
		super(summary(violations));
		this.violations = List.copyOf(violations);
	}

	public InvalidInputException(String field, String message) {
		this(List.of(new Violation(field, message)));
	}

	public List<Violation> getViolations() {
		return this.violations;
	}

	private static String summary(List<Violation> violations) {
		StringBuilder text = new StringBuilder();
		for (Violation violation : violations) {
			if (!text.isEmpty()) {
				text.append("; ");
			}
			text.append(violation.field()).append(": ").append(violation.message());
		}
		return text.toString();
	}

}
