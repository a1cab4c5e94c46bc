package io.beacon.registry.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import io.beacon.registry.http.SseFrames;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * {@code GET /v1/services/{service}/instances/{instanceId}/lease}: the lease stream, a
 * Server-Sent Events stream an instance keeps open so that its liveness is bound to a connection.
 * Opening it is a heartbeat; it starts with a {@code bound} event (the grace and keep-alive
 * interval), then carries keep-alive comments; it completes when the instance is removed. When it
 * closes otherwise, {@link LeaseBindings} marks the instance DOWN after the grace.
 */
final class LeaseStreamEndpoint {

	private final RegistryStore registry;

	private final LeaseBindings bindings;

	private final KeepAlives keepAlives;

	private final JsonMapper json;

	private final Map<String, String> headers;

	LeaseStreamEndpoint(RegistryStore registry, LeaseBindings bindings, Duration keepAlive, JsonMapper json) {
		this.registry = registry;
		this.bindings = bindings;
		this.keepAlives = new KeepAlives(keepAlive);
		this.json = json;
		this.headers = Map.of(WatchEndpoint.KEEP_ALIVE_HEADER, keepAlive.toString());
	}

	ApiReply open(ApiRequest request) {
		String service = PathVariables.service(request);
		String instanceId = PathVariables.instanceId(request);
		request.allowQuery(Set.of());
		request.requireNoBody();
		request.requireAccepts(MediaType.TEXT_EVENT_STREAM);
		this.registry.heartbeat(service, instanceId, request.caller());
		// Called off now, not when the stream is subscribed: a grace that ends in between would mark
		// DOWN an instance whose stream is being reopened (until its next heartbeat). The heartbeat
		// comes first, so only a caller allowed to change the instance can call a loss off.
		this.bindings.opening(service, instanceId);
		byte[] bound = bound(service, instanceId);
		// One sink per stream holding at most one frame (keep-alives are all alike): the stream's
		// share of the heap stays small with thousands of instances.
		Flux<byte[]> frames = Flux.create((sink) -> {
			sink.next(bound);
			Disposable ticks = this.keepAlives.forStream().subscribe(sink::next);
			LeaseBindings.Stream stream = this.bindings.attach(service, instanceId, sink::complete);
			sink.onDispose(() -> {
				ticks.dispose();
				this.bindings.detach(stream);
			});
			this.bindings.endIfGone(stream);
		}, FluxSink.OverflowStrategy.LATEST);
		return new ApiReply.EventStream(frames, this.headers);
	}

	private byte[] bound(String service, String instanceId) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("service", service);
		data.put("instanceId", instanceId);
		data.put("graceMillis", this.bindings.grace().toMillis());
		data.put("keepAliveMillis", this.keepAlives.interval().toMillis());
		data.put("replicaId", this.registry.replicaId());
		return SseFrames.event("bound", this.json.writeValueAsBytes(data));
	}

}
