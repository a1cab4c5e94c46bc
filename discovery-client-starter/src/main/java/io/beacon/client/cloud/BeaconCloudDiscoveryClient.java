package io.beacon.client.cloud;

import java.util.List;

import io.beacon.client.discovery.BeaconDiscoveryClient;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Spring Cloud's blocking {@link DiscoveryClient} over Beacon's push-updated cache: UP instances
 * only, answered from memory after a service's first lookup.
 */
public final class BeaconCloudDiscoveryClient implements DiscoveryClient {

	private final BeaconDiscoveryClient discovery;

	public BeaconCloudDiscoveryClient(BeaconDiscoveryClient discovery) {
		this.discovery = discovery;
	}

	@Override
	public String description() {
		return "Beacon discovery client";
	}

	@Override
	public List<ServiceInstance> getInstances(String serviceId) {
		return CloudServiceInstance.all(this.discovery.getInstances(serviceId));
	}

	@Override
	public List<String> getServices() {
		return this.discovery.getServices();
	}

}
