package io.beacon.client.cloud;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.beacon.client.ServiceInstance;

/**
 * A Beacon instance as a Spring Cloud {@link org.springframework.cloud.client.ServiceInstance}. The
 * zone is also in the metadata under {@code zone}, where Spring Cloud LoadBalancer's zone preference
 * looks for it.
 */
public final class CloudServiceInstance implements org.springframework.cloud.client.ServiceInstance {

	/** The metadata key Spring Cloud reads an instance's zone from. */
	public static final String ZONE_KEY = "zone";

	private final ServiceInstance instance;

	private final Map<String, String> metadata;

	public CloudServiceInstance(ServiceInstance instance) {
		this.instance = instance;
		if (instance.zone() != null) {
			Map<String, String> withZone = new HashMap<>(instance.metadata());
			withZone.put(ZONE_KEY, instance.zone());
			this.metadata = Map.copyOf(withZone);
		}
		else {
			this.metadata = instance.metadata();
		}
	}

	static List<org.springframework.cloud.client.ServiceInstance> all(List<ServiceInstance> instances) {
		return instances.stream().<org.springframework.cloud.client.ServiceInstance>map(CloudServiceInstance::new)
			.toList();
	}

	/** The Beacon instance this one wraps. */
	public ServiceInstance beaconInstance() {
		return this.instance;
	}

	@Override
	public String getInstanceId() {
		return this.instance.instanceId();
	}

	@Override
	public String getServiceId() {
		return this.instance.service();
	}

	@Override
	public String getHost() {
		return this.instance.host();
	}

	@Override
	public int getPort() {
		return this.instance.port();
	}

	@Override
	public boolean isSecure() {
		return this.instance.secure();
	}

	@Override
	public URI getUri() {
		return this.instance.uri();
	}

	@Override
	public String getScheme() {
		return this.instance.secure() ? "https" : "http";
	}

	@Override
	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof CloudServiceInstance that && this.instance.equals(that.instance);
	}

	@Override
	public int hashCode() {
		return this.instance.hashCode();
	}

	@Override
	public String toString() {
		return "CloudServiceInstance[" + this.instance + "]";
	}

}
