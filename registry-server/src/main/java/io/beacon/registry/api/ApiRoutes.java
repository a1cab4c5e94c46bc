package io.beacon.registry.api;

import java.util.List;

import io.beacon.registry.http.Route;

/**
 * The API's route table: one line per endpoint. A path's segments in braces are variables; the
 * second argument names the endpoint on the API meters.
 */
final class ApiRoutes {

	private ApiRoutes() {
	}

	static List<Route> of(InstanceEndpoints instances, ServiceEndpoints services, WatchEndpoint watch,
			RegistryEndpoint registry, PrometheusTargetsEndpoint prometheus) {
		return List.of(
				Route.put("/v1/services/{service}/instances/{instanceId}/heartbeat", "heartbeat", instances::heartbeat),
				Route.post("/v1/services/{service}/instances", "register", instances::register),
				Route.put("/v1/services/{service}/instances/{instanceId}/status", "status", instances::updateStatus),
				Route.get("/v1/services/{service}/instances/{instanceId}", "get-instance", instances::get),
				Route.delete("/v1/services/{service}/instances/{instanceId}", "deregister", instances::deregister),
				Route.get("/v1/services/{service}", "get-service", services::get),
				Route.get("/v1/services", "list-services", services::list),
				Route.get("/v1/watch", "watch", watch::watch),
				Route.get("/v1/registry", "registry", registry::get),
				Route.get("/v1/prometheus/targets", "prometheus-targets", prometheus::targets));
	}

}
