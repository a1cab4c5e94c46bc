package io.beacon.registry.core;

/**
 * The outcome of a registration.
 *
 * @param instance the instance as registered
 * @param created {@code true} for a new instance, {@code false} when an existing one was replaced
 */
public record Registration(Instance instance, boolean created) {
}
