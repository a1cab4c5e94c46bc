package io.beacon.client.loadbalancer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.beacon.client.ServiceInstance;

/**
 * Instances that refused a connection, skipped for a short time: the load balancer reacts before
 * the registry has noticed anything.
 */
public final class Ejections {

	private final Map<String, Long> until = new ConcurrentHashMap<>();

	private final LongSupplier nanoClock;

	public Ejections(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	void eject(ServiceInstance instance, long nanos) {
		this.until.put(key(instance), this.nanoClock.getAsLong() + nanos);
	}

	boolean isEmpty() {
		return this.until.isEmpty();
	}

	public boolean isEjected(ServiceInstance instance) {
		if (this.until.isEmpty()) {
			return false;
		}
		String key = key(instance);
		Long end = this.until.get(key);
		if (end == null) {
			return false;
		}
		if (end - this.nanoClock.getAsLong() > 0) {
			return true;
		}
		this.until.remove(key, end);
		return false;
	}

	private static String key(ServiceInstance instance) {
		return instance.service() + "/" + instance.instanceId();
	}

	/** Nanoseconds left in an instance's ejection, 0 when it is not ejected. */
	public long remainingNanos(ServiceInstance instance) {
		Long end = this.until.get(key(instance));
		return (end != null) ? Math.max(0, end - this.nanoClock.getAsLong()) : 0;
	}

}
