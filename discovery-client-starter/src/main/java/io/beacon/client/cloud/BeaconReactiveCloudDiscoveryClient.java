package io.beacon.client.cloud;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/**
 * Spring Cloud's {@link ReactiveDiscoveryClient} over Beacon's push-updated cache. Instance lookups
 * never block; listing the services asks the registry on a bounded-elastic thread.
 */
public final class BeaconReactiveCloudDiscoveryClient implements ReactiveDiscoveryClient {

	private final BeaconDiscoveryClient discovery;

	public BeaconReactiveCloudDiscoveryClient(BeaconDiscoveryClient discovery) {
		this.discovery = discovery;
	}

	@Override
	public String description() {
		return "Beacon reactive discovery client";
	}

	@Override
	public Flux<ServiceInstance> getInstances(String serviceId) {
		return this.discovery.instances(serviceId).flatMapIterable(CloudServiceInstance::all);
	}

	@Override
	public Flux<String> getServices() {
		return Mono.fromCallable(this.discovery::getServices)
			.subscribeOn(Schedulers.boundedElastic())
			.flatMapIterable((services) -> services);
	}

}
