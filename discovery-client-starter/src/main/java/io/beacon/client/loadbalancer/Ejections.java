package io.beacon.client.loadbalancer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

	/**
	 * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}): ejections are
	 * short and must not jump with the wall clock
	 */
	public Ejections(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	void eject(ServiceInstance instance, Duration time) {
		this.until.put(key(instance), this.nanoClock.getAsLong() + time.toNanos());
	}

	/** Forgets the ejections of a service's instances that are not in {@code present}. */
	void retainOnly(String service, Collection<ServiceInstance> present) {
		Set<String> keep = new HashSet<>();
		present.forEach((instance) -> keep.add(key(instance)));
		String prefix = service + "/";
		this.until.keySet().removeIf((key) -> key.startsWith(prefix) && !keep.contains(key));
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

	/** The time left in an instance's ejection, zero when it is not ejected. */
	public Duration remaining(ServiceInstance instance) {
		Long end = this.until.get(key(instance));
		return Duration.ofNanos((end != null) ? Math.max(0, end - this.nanoClock.getAsLong()) : 0);
	}

}
