package io.beacon.client.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.registration.Registrar;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/beacon}: this instance's registration, the cached services with their instances,
 * and the load balancer's figures. POST {@code {"status":"DRAINING"}} drains this instance by hand
 * (the same path as shutdown uses), {@code {"status":"UP"}} undoes it.
 */
@Endpoint(id = "beacon")
public class BeaconEndpoint {

	private final Registrar registrar;

	private final BeaconDiscoveryClient discovery;

	private final LoadBalancer loadBalancer;

	/**
	 * Any of the parts may be {@code null} when that feature is off.
	 */
	public BeaconEndpoint(Registrar registrar, BeaconDiscoveryClient discovery, LoadBalancer loadBalancer) {
		this.registrar = registrar;
		this.discovery = discovery;
		this.loadBalancer = loadBalancer;
	}

	@ReadOperation
	public Map<String, Object> beacon() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("registration", (this.registrar != null) ? this.registrar.snapshot() : null);
		if (this.registrar != null) {
			body.put("leaseStreamHeld", this.registrar.holdsLeaseStream());
		}
		Map<String, Object> services = new TreeMap<>();
		if (this.discovery != null) {
			for (String service : this.discovery.cachedServices()) {
				List<Map<String, Object>> instances = new ArrayList<>();
				for (ServiceInstance instance : this.discovery.cachedAll(service)) {
					instances.add(describe(instance));
				}
				services.put(service, instances);
			}
			body.put("cacheStale", this.discovery.staleSince().isPresent());
		}
		body.put("services", services);
		return body;
	}

	@WriteOperation
	public Map<String, Object> status(String status) {
		if (this.registrar == null) {
			throw new InvalidEndpointRequestException("This application does not register itself",
					"registration is disabled");
		}
		InstanceStatus wanted;
		if ("UP".equals(status)) {
			wanted = InstanceStatus.UP;
		}
		else if ("DRAINING".equals(status)) {
			wanted = InstanceStatus.DRAINING;
		}
		else {
			throw new InvalidEndpointRequestException("status must be UP or DRAINING, got '" + status + "'",
					"status must be UP or DRAINING");
		}
		boolean accepted = this.registrar.overrideStatus(wanted);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("accepted", accepted);
		body.put("registration", this.registrar.snapshot());
		return body;
	}

	private Map<String, Object> describe(ServiceInstance instance) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("instanceId", instance.instanceId());
		item.put("uri", instance.uri().toString());
		item.put("status", instance.status());
		item.put("zone", instance.zone());
		item.put("metadata", instance.metadata());
		if (this.loadBalancer != null) {
			LoadBalancer.InstanceStats stats = this.loadBalancer.stats()
				.get(instance.service() + "/" + instance.instanceId());
			item.put("inFlight", this.loadBalancer.inFlight().count(instance));
			item.put("requests", (stats != null) ? stats.requests() : 0);
			item.put("failures", (stats != null) ? stats.failures() : 0);
			item.put("ejectedForMillis", this.loadBalancer.ejections().remaining(instance).toMillis());
		}
		return item;
	}

}
