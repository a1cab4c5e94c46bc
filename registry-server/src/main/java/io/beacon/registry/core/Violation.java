package io.beacon.registry.core;

/**
 * One broken rule in client input: which field, and what is allowed.
 *
 * @param field the JSON field, path or query parameter name (for example {@code metadata.region})
 * @param message the rule that was broken, in words a client developer can act on
 */
public record Violation(String field, String message) {
}
