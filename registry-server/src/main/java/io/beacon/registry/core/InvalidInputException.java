package io.beacon.registry.core;

import java.util.List;

/**
 * Client input that breaks one or more rules. Nothing in the registry was changed. The message
 * names the fields and rules but never repeats client text: the edge shows the rejected values
 * (see {@link Violation#rejected()}) in a form safe for its medium.
 */
public class InvalidInputException extends RuntimeException {

	private final List<Violation> violations;

	public InvalidInputException(List<Violation> violations) {
		super(summary(violations));
		this.violations = List.copyOf(violations);
	}

	public InvalidInputException(String field, String message) {
		this(new Violation(field, message));
	}

	public InvalidInputException(Violation violation) {
		this(List.of(violation));
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
