package io.beacon.client.cloud;

import java.util.List;
import java.util.Locale;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Spring Cloud LoadBalancer's instance list for one service, straight from Beacon's push-updated
 * cache: the current UP instances, then the new list after every pushed change. Nothing is cached
 * here, so a drained or lapsed instance stops being chosen as soon as the registry says so, not
 * after LoadBalancer's default 35 s cache.
 */
public final class PushedServiceInstanceListSupplier implements ServiceInstanceListSupplier {

	private final String serviceId;

	private final BeaconDiscoveryClient discovery;

	public PushedServiceInstanceListSupplier(String serviceId, BeaconDiscoveryClient discovery) {
		this.serviceId = serviceId.toLowerCase(Locale.ROOT);
		this.discovery = discovery;
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		Flux<List<ServiceInstance>> changes = Flux.create((sink) -> {
			AutoCloseable subscription = this.discovery.subscribe((event) -> {
				if (event.service().equals(this.serviceId)) {
					sink.next(CloudServiceInstance.all(event.upInstances()));
				}
			});
			sink.onDispose(() -> {
				try {
					subscription.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException("Could not unsubscribe from the discovery client", ex);
				}
			});
		});
		return this.discovery.instances(this.serviceId).map(CloudServiceInstance::all).concatWith(changes);
	}

}
