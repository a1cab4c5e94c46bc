package io.beacon.client.cloud;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.RetryableRequestContext;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Spring Cloud LoadBalancer's instance list for one service, straight from Beacon's push-updated
 * cache: the current UP instances, then the new list after every pushed change. Nothing is cached
 * here, so a drained or lapsed instance stops being chosen as soon as the registry says so, not
 * after LoadBalancer's default 35 s cache.
 * <p>
 * A retried request is not offered the instances it already tried (while others are left): those
 * named in the request attribute {@link #TRIED_INSTANCES_ATTRIBUTE} (a {@code Set} of instance ids,
 * which a gateway filter can keep per exchange), and LoadBalancer's own previous instance of a
 * retryable request.
 */
public final class PushedServiceInstanceListSupplier implements ServiceInstanceListSupplier {

	/** The request attribute holding the ids of the instances a request has tried. */
	public static final String TRIED_INSTANCES_ATTRIBUTE = PushedServiceInstanceListSupplier.class.getName()
			+ ".triedInstances";

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
	public Flux<List<ServiceInstance>> get(Request request) {
		Set<String> tried = tried(request.getContext());
		if (tried.isEmpty()) {
			return get();
		}
		return get().map((instances) -> {
			List<ServiceInstance> untried = instances.stream()
				.filter((instance) -> !tried.contains(instance.getInstanceId()))
				.toList();
			return untried.isEmpty() ? instances : untried;
		});
	}

	private static Set<String> tried(Object context) {
		Set<String> tried = new HashSet<>();
		if (context instanceof RequestDataContext data && data.getClientRequest() != null
				&& data.getClientRequest().getAttributes() != null
				&& data.getClientRequest().getAttributes().get(TRIED_INSTANCES_ATTRIBUTE) instanceof Set<?> ids) {
			ids.forEach((id) -> tried.add(String.valueOf(id)));
		}
		if (context instanceof RetryableRequestContext retryable && retryable.getPreviousServiceInstance() != null) {
			tried.add(retryable.getPreviousServiceInstance().getInstanceId());
		}
		return tried;
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
