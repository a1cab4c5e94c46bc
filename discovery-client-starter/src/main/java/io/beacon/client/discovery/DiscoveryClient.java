package io.beacon.client.discovery;

import java.util.List;

import io.beacon.client.ServiceInstance;
import reactor.core.publisher.Mono;

/**
 * Finds the instances of services. The first lookup of a service asks the registry and starts
 * watching it; later lookups are answered from memory, kept current by the registry's pushes.
 */
public interface DiscoveryClient {

	/**
	 * The UP instances of a service, ordered by instance id. Blocks on the first lookup of a
	 * service; never call it on an event-loop thread (use {@link #instances(String)} there).
	 * @throws io.beacon.client.registry.RegistryUnavailableException when the service was never
	 * looked up before and no registry answers
	 */
	List<ServiceInstance> getInstances(String service);

	/**
	 * The UP instances of a service, without blocking.
	 */
	Mono<List<ServiceInstance>> instances(String service);

	/**
	 * The names of the services in the registry (asks the registry; falls back to the services
	 * known locally when it cannot be reached).
	 */
	List<String> getServices();

	/**
	 * Subscribes to changes of the services looked up so far and later.
	 * @return a handle that ends the subscription
	 */
	AutoCloseable subscribe(DiscoveryListener listener);

}
