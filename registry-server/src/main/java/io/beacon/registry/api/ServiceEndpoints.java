package io.beacon.registry.api;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.ServiceSummary;
import io.beacon.registry.core.Validation;
import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import io.beacon.registry.http.ClientText;
import io.beacon.registry.http.JsonReplies;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The read side of the API: the services, and the instances of one service.
 */
final class ServiceEndpoints {

	private final Registry registry;

	private final JsonReplies replies;

	ServiceEndpoints(Registry registry, JsonReplies replies) {
		this.registry = registry;
		this.replies = replies;
	}

	ApiReply list(ApiRequest request) {
		request.allowQuery(Set.of());
		request.requireNoBody();
		request.requireAccepts(MediaType.APPLICATION_JSON);
		long index = this.registry.index();
		return this.replies.json(HttpStatus.OK, new ServiceList(index, this.registry.services()));
	}

	ApiReply get(ApiRequest request) {
		String service = PathVariables.service(request);
		request.allowQuery(Set.of("status"));
		request.requireNoBody();
		request.requireAccepts(MediaType.APPLICATION_JSON);
		Predicate<InstanceStatus> filter = statusFilter(request.singleQueryValue("status"));
		return this.replies.json(HttpStatus.OK, this.registry.service(service, filter));
	}

	/** {@code UP} by default; {@code ALL}, or one status name. */
	static Predicate<InstanceStatus> statusFilter(String value) {
		if (value == null) {
			return (status) -> status == InstanceStatus.UP;
		}
		if ("ALL".equals(value)) {
			return (status) -> true;
		}
		InstanceStatus wanted = InstanceStatus.parse(value);
		if (wanted == null) {
			throw new InvalidInputException("status",
					"must be ALL or one of STARTING, UP, DRAINING, DOWN (got " + ClientText.quote(value) + ")");
		}
		return (status) -> status == wanted;
	}

	/**
	 * The body of {@code GET /v1/services}.
	 *
	 * @param index the registry index
	 * @param services every service with its counts, by name
	 */
	record ServiceList(long index, List<ServiceSummary> services) {
	}

}
