package io.beacon.registry.core;

/**
 * One broken rule in client input: which field, what is allowed, and the value that broke it.
 *
 * @param field the JSON field, path or query parameter name (for example {@code metadata.region});
 * client text when it names a metadata key
 * @param message the rule that was broken, in words a client developer can act on
 * @param rejected the client's value as sent, or {@code null} when it is not worth repeating
 */
public record Violation(String field, String message, String rejected) {

	/** A violation that does not repeat the value. */
	public Violation(String field, String message) {
		this(field, message, null);
	}

}
