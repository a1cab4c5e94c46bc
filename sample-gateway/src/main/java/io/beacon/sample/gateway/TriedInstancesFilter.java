package io.beacon.sample.gateway;

import java.util.HashSet;
import java.util.Set;

import io.beacon.client.cloud.PushedServiceInstanceListSupplier;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Remembers, per exchange, every instance the load balancer chose for it, so that a retry (see
 * {@link SafeRetryGatewayFilterFactory}) goes to an instance not tried yet: Beacon's instance list
 * leaves those out (see {@link PushedServiceInstanceListSupplier#TRIED_INSTANCES_ATTRIBUTE}). Without
 * it, round-robin can send all attempts of one request to the same crashed instance.
 */
@Component
class TriedInstancesFilter implements GlobalFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Response<ServiceInstance> chosen = exchange
			.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (chosen != null && chosen.hasServer()) {
			Set<String> tried = exchange.getAttribute(PushedServiceInstanceListSupplier.TRIED_INSTANCES_ATTRIBUTE);
			if (tried == null) {
				tried = new HashSet<>();
				exchange.getAttributes().put(PushedServiceInstanceListSupplier.TRIED_INSTANCES_ATTRIBUTE, tried);
			}
			tried.add(chosen.getServer().getInstanceId());
		}
		return chain.filter(exchange);
	}

	/** Right after the load balancer has chosen. */
	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
	}

}
