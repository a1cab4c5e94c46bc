package io.beacon.client.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.beacon.client.ServiceInstance;
import io.beacon.client.registry.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local view of the services this application looked up. Reads are lock-free (each service's
 * UP instances are an immutable list swapped on change); writes come from the watch stream or a
 * fetch and are serialized per service.
 * <p>
 * When the registry restarts it starts empty, and instances come back as their heartbeats find
 * out (within one heartbeat interval). So when a snapshot comes from a different registry than
 * the last one, instances missing from it are kept for a grace period instead of being dropped:
 * callers keep working, and an instance that really left is dropped when the grace ends (and
 * skipped sooner by the load balancer if it refuses connections). Later snapshots or fetches within
 * the grace do not cut it short: an instance carried over stays until it comes back or its grace ends.
 */
final class ServiceCache {

	private static final Logger logger = LoggerFactory.getLogger(ServiceCache.class);

	private static final Comparator<ServiceInstance> BY_ID = Comparator.comparing(ServiceInstance::instanceId);

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final List<DiscoveryListener> listeners = new CopyOnWriteArrayList<>();

	private final Clock clock;

	private final Duration restartGrace;

	ServiceCache(Clock clock, Duration restartGrace) {
		this.clock = clock;
		this.restartGrace = restartGrace;
	}

	/** The UP instances of a service, or {@code null} when it was never loaded. */
	List<ServiceInstance> up(String service) {
		Entry entry = this.entries.get(service);
		return (entry != null) ? entry.up : null;
	}

	/** Every cached instance of a service, any status (empty when unknown). */
	List<ServiceInstance> all(String service) {
		Entry entry = this.entries.get(service);
		return (entry != null) ? List.copyOf(entry.instances.values()) : List.of();
	}

	Set<String> services() {
		return Set.copyOf(this.entries.keySet());
	}

	int size() {
		int size = 0;
		for (Entry entry : this.entries.values()) {
			size += entry.instances.size();
		}
		return size;
	}

	void addListener(DiscoveryListener listener) {
		this.listeners.add(listener);
	}

	void removeListener(DiscoveryListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Loads a service from a fetch, unless the cache already has a view at least as new.
	 */
	void load(String service, long index, List<ServiceInstance> instances) {
		Entry entry = this.entries.computeIfAbsent(service, (key) -> new Entry());
		synchronized (entry) {
			if (entry.index >= index) {
				return;
			}
			replace(service, entry, index, instances, false);
		}
	}

	/**
	 * Replaces the watched services' views with a snapshot.
	 * @param registryChanged whether the snapshot comes from another registry (process) than the
	 * previous one: instances it lacks are then kept for the grace period
	 */
	void apply(WatchEvent.Snapshot snapshot, Set<String> watched, boolean registryChanged) {
		for (String service : watched) {
			List<ServiceInstance> instances = snapshot.services().getOrDefault(service, List.of());
			Entry entry = this.entries.computeIfAbsent(service, (key) -> new Entry());
			synchronized (entry) {
				replace(service, entry, snapshot.index(), instances, registryChanged);
			}
		}
	}

	/** Applies one pushed change, unless the view already includes it. */
	void apply(WatchEvent.Change change) {
		ServiceInstance instance = change.instance();
		Entry entry = this.entries.get(instance.service());
		if (entry == null) {
			return;
		}
		DiscoveryEvent event;
		synchronized (entry) {
			if (change.index() <= entry.index) {
				return;
			}
			entry.index = change.index();
			entry.carriedUntil.remove(instance.instanceId());
			Map<String, ServiceInstance> next = new LinkedHashMap<>(entry.instances);
			if (change.isRemoval()) {
				next.remove(instance.instanceId());
			}
			else {
				next.put(instance.instanceId(), instance);
			}
			entry.set(next);
			event = new DiscoveryEvent(instance.service(), kind(change.type()), instance, entry.up);
		}
		notifyListeners(event);
	}

	/** Drops instances kept over a registry restart whose grace period ended. */
	void dropExpiredCarryOvers() {
		Instant now = this.clock.instant();
		for (Map.Entry<String, Entry> item : this.entries.entrySet()) {
			Entry entry = item.getValue();
			List<DiscoveryEvent> events = new ArrayList<>();
			synchronized (entry) {
				if (entry.carriedUntil.isEmpty()) {
					continue;
				}
				Map<String, ServiceInstance> next = new LinkedHashMap<>(entry.instances);
				entry.carriedUntil.entrySet().removeIf((carried) -> {
					if (carried.getValue().isAfter(now)) {
						return false;
					}
					ServiceInstance gone = next.remove(carried.getKey());
					if (gone != null) {
						logger.info("Dropped {}/{}: it did not come back within {} of the registry restart",
								gone.service(), gone.instanceId(), this.restartGrace);
						events.add(new DiscoveryEvent(item.getKey(), DiscoveryEvent.Kind.DEREGISTERED, gone, null));
					}
					return true;
				});
				entry.set(next);
			}
			events.forEach((event) -> notifyListeners(
					new DiscoveryEvent(event.service(), event.kind(), event.instance(), entry.up)));
		}
	}

	private void replace(String service, Entry entry, long index, List<ServiceInstance> instances,
			boolean registryChanged) {
		Map<String, ServiceInstance> next = new LinkedHashMap<>();
		for (ServiceInstance instance : instances) {
			next.put(instance.instanceId(), instance);
			entry.carriedUntil.remove(instance.instanceId());
		}
		Instant until = this.clock.instant().plus(this.restartGrace);
		for (ServiceInstance old : entry.instances.values()) {
			// kept when the registry is new, or when it was kept already and its grace still runs
			boolean carried = entry.carriedUntil.containsKey(old.instanceId());
			if (!next.containsKey(old.instanceId()) && (registryChanged || carried)) {
				next.put(old.instanceId(), old);
				entry.carriedUntil.putIfAbsent(old.instanceId(), until);
			}
		}
		entry.index = index;
		entry.set(next);
		notifyListeners(new DiscoveryEvent(service, DiscoveryEvent.Kind.RESYNC, null, entry.up));
	}

	private void notifyListeners(DiscoveryEvent event) {
		for (DiscoveryListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A discovery listener failed on {}", event, ex);
			}
		}
	}

	private static DiscoveryEvent.Kind kind(String type) {
		return switch (type) {
			case "registered" -> DiscoveryEvent.Kind.REGISTERED;
			case "expired" -> DiscoveryEvent.Kind.EXPIRED;
			case "deregistered" -> DiscoveryEvent.Kind.DEREGISTERED;
			default -> DiscoveryEvent.Kind.UPDATED;
		};
	}

	/** One service's view; fields are written under the entry's monitor. */
	private static final class Entry {

		volatile long index = -1;

		volatile Map<String, ServiceInstance> instances = Map.of();

		volatile List<ServiceInstance> up = List.of();

		final Map<String, Instant> carriedUntil = new HashMap<>();

		void set(Map<String, ServiceInstance> next) {
			List<ServiceInstance> upNow = new ArrayList<>();
			for (ServiceInstance instance : next.values()) {
				if (instance.isUp()) {
					upNow.add(instance);
				}
			}
			upNow.sort(BY_ID);
			this.instances = Map.copyOf(next);
			this.up = List.copyOf(upNow);
		}

	}

}
