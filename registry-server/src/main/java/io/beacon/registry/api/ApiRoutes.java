package io.beacon.registry.api;

import java.util.List;

import io.beacon.registry.http.Offload;
import io.beacon.registry.http.Route;
import io.beacon.registry.security.ApiGuard;
import io.beacon.registry.security.Operation;

/**
 * The API's route table: one line per endpoint. A path's segments in braces are variables; the
 * second argument names the endpoint on the API meters. Every handler runs behind the
 * {@link ApiGuard}, which the route says what the request does (read, write, identify); writes go
 * through the {@link Offload}, which runs them off the event loop when the store's writes block.
 */
final class ApiRoutes {

	private ApiRoutes() {
	}

	static List<Route> of(InstanceEndpoints instances, LeaseStreamEndpoint lease, ServiceEndpoints services,
			WatchEndpoint watch, RegistryEndpoint registry, PrometheusTargetsEndpoint prometheus, WhoAmIEndpoint whoAmI,
			ApiGuard guard, Offload offload) {
		Guarded write = new Guarded(guard, Operation.WRITE);
		Guarded read = new Guarded(guard, Operation.READ);
		return List.of(
				Route.put("/v1/services/{service}/instances/{instanceId}/heartbeat", "heartbeat",
						write.handler(offload.handler(instances::heartbeat, instances::heartbeatIsInMemory))),
				Route.get("/v1/services/{service}/instances/{instanceId}/lease", "lease-stream",
						write.handler(offload.handler(lease::open))),
				Route.post("/v1/services/{service}/instances", "register", write.handler(offload.handler(instances::register))),
				Route.put("/v1/services/{service}/instances/{instanceId}/status", "status",
						write.handler(offload.handler(instances::updateStatus))),
				Route.get("/v1/services/{service}/instances/{instanceId}", "get-instance", read.handler(instances::get)),
				Route.delete("/v1/services/{service}/instances/{instanceId}", "deregister",
						write.handler(offload.handler(instances::deregister))),
				Route.get("/v1/services/{service}", "get-service", read.handler(services::get)),
				Route.get("/v1/services", "list-services", read.handler(services::list)),
				watch(watch, guard),
				Route.get("/v1/registry", "registry", read.handler(registry::get)),
				Route.get("/v1/prometheus/targets", "prometheus-targets", read.handler(prometheus::targets)),
				Route.get("/v1/whoami", "whoami", new Guarded(guard, Operation.IDENTIFY).handler(whoAmI::whoAmI)));
	}

	/** The watch stream's route, the one the {@link WatchWarmup} runs on its own. */
	static Route watch(WatchEndpoint watch, ApiGuard guard) {
		return Route.get("/v1/watch", "watch", new Guarded(guard, Operation.READ).handler(watch::watch));
	}

}
