package io.beacon.client.autoconfigure;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.discovery.DiscoveryEvent;
import io.beacon.client.loadbalancer.LoadBalancer;

import org.springframework.beans.factory.DisposableBean;

/**
 * Tells the load balancer which instances are gone, so that what it counts per instance (requests in
 * flight, failures, ejections) does not grow without bound as instances come and go: after an
 * instance left, and after a resync replaced a service's view.
 */
final class LoadBalancerPruning implements DisposableBean {

	private final AutoCloseable subscription;

	LoadBalancerPruning(LoadBalancer loadBalancer, BeaconDiscoveryClient discovery) {
		this.subscription = discovery.subscribe((event) -> {
			if (event.kind() == DiscoveryEvent.Kind.DEREGISTERED || event.kind() == DiscoveryEvent.Kind.RESYNC) {
				loadBalancer.retainOnly(event.service(), discovery.cachedAll(event.service()));
			}
		});
	}

	@Override
	public void destroy() throws Exception {
		this.subscription.close();
	}

}
