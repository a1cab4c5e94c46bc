package io.beacon.registry.core;

/**
 * An open watch. Closing it stops delivery; safe to call more than once, from any thread.
 */
@FunctionalInterface
public interface Watch extends AutoCloseable {

	@Override
	void close();

}
