package io.beacon.registry.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Validation;
import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;

/**
 * {@code GET /v1/watch}: a Server-Sent Events stream of changes.
 */
final class WatchEndpoint {

	private static final int MAX_WATCHED_SERVICES = 256;

	/**
	 * Announces the keep-alive interval as an ISO-8601 duration, so a client can tell a quiet stream
	 * from a dead one whatever the server is set to.
	 */
	static final String KEEP_ALIVE_HEADER = "Beacon-Keep-Alive";

	private final Registry registry;

	private final WatchEvents encoder;

	private final WatchMetrics metrics;

	private final int maxPending;

	private final KeepAlives keepAlives;

	private final Map<String, String> headers;

	WatchEndpoint(Registry registry, WatchEvents encoder, WatchMetrics metrics, int maxPending, Duration keepAlive) {
		this.registry = registry;
		this.encoder = encoder;
		this.metrics = metrics;
		this.maxPending = maxPending;
		this.keepAlives = new KeepAlives(keepAlive);
		this.headers = Map.of(KEEP_ALIVE_HEADER, keepAlive.toString());
	}

	ApiReply watch(ApiRequest request) {
		request.allowQuery(Set.of("service"));
		request.requireNoBody();
		request.requireAccepts(MediaType.TEXT_EVENT_STREAM);
		Set<String> services = services(request.query().getOrDefault("service", List.of()));
		OptionalLong lastEventId = request.lastEventId();
		Flux<byte[]> frames = WatchSession.open(this.registry, services, lastEventId, this.encoder, this.metrics,
				this.maxPending, this.keepAlives.forStream());
		return new ApiReply.EventStream(frames, this.headers);
	}

	private static Set<String> services(List<String> names) {
		if (names.size() > MAX_WATCHED_SERVICES) {
			throw new InvalidInputException("service", "at most " + MAX_WATCHED_SERVICES
					+ " services can be watched in one stream (got " + names.size() + ")");
		}
		Set<String> services = new TreeSet<>();
		for (String name : names) {
			services.add(Validation.service("service", name));
		}
		return services;
	}

}
