package io.beacon.registry.core;

/**
 * One change to the registry.
 *
 * @param index the registry index this change produced (each change bumps it by one)
 * @param cause why it happened; {@code cause.type()} is the kind watchers act on
 * @param instance the instance as it is after the change (as it was, for a removal)
 */
public record ChangeEvent(long index, ChangeCause cause, Instance instance) {

	public ChangeType type() {
		return this.cause.type();
	}

	public String service() {
		return this.instance.service();
	}

}
