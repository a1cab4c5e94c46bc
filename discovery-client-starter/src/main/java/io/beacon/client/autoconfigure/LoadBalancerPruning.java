package io.beacon.client.autoconfigure;

import java.util.List;

import io.beacon.client.ServiceInstance;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.discovery.DiscoveryEvent;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.web.LoadBalancerMetrics;

import org.springframework.beans.factory.DisposableBean;

/**
 * Tells the load balancer and its metrics which instances are gone, so that what they keep per
 * instance (requests in flight, failures, ejections, meters) does not grow without bound as instances
 * come and go: after an instance left, and after a resync replaced a service's view.
 */
final class LoadBalancerPruning implements DisposableBean {

	private final AutoCloseable subscription;

	LoadBalancerPruning(LoadBalancer loadBalancer, LoadBalancerMetrics metrics, BeaconDiscoveryClient discovery) {
		this.subscription = discovery.subscribe((event) -> {
			if (event.kind() == DiscoveryEvent.Kind.DEREGISTERED || event.kind() == DiscoveryEvent.Kind.RESYNC) {
				List<ServiceInstance> present = discovery.cachedAll(event.service());
				loadBalancer.retainOnly(event.service(), present);
				metrics.retainOnly(event.service(), present);
			}
		});
	}

	@Override
	public void destroy() throws Exception {
		this.subscription.close();
	}

}
