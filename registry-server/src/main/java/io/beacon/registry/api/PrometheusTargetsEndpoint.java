package io.beacon.registry.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.ServiceSummary;
import io.beacon.registry.core.Validation;
import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import io.beacon.registry.http.JsonReplies;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * {@code GET /v1/prometheus/targets}: the registry as a Prometheus HTTP service discovery source
 * ({@code http_sd_configs}). One target group per instance, because every instance has its own
 * labels; UP instances only unless {@code ?status=} says otherwise; {@code ?service=} narrows it to
 * one service.
 */
final class PrometheusTargetsEndpoint {

	private final Registry registry;

	private final JsonReplies replies;

	PrometheusTargetsEndpoint(Registry registry, JsonReplies replies) {
		this.registry = registry;
		this.replies = replies;
	}

	ApiReply targets(ApiRequest request) {
		request.allowQuery(Set.of("status", "service"));
		request.requireNoBody();
		request.requireAccepts(MediaType.APPLICATION_JSON);
		Predicate<InstanceStatus> filter = ServiceEndpoints.statusFilter(request.singleQueryValue("status"));
		String service = request.singleQueryValue("service");
		List<String> services = (service != null) ? List.of(Validation.service("service", service))
				: this.registry.services().stream().map(ServiceSummary::service).toList();
		List<PrometheusTargetGroup> groups = new ArrayList<>();
		for (String name : services) {
			for (Instance instance : this.registry.service(name, filter).instances()) {
				groups.add(PrometheusTargetGroup.of(instance));
			}
		}
		return this.replies.json(HttpStatus.OK, groups);
	}

}
