package io.beacon.registry.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Registration;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Rules;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;

/**
 * The write side of the API (register, heartbeat, status, deregister) and reading one instance.
 */
final class InstanceEndpoints {

	private static final Set<String> REGISTRATION_FIELDS = Set.of("instanceId", "service", "host", "port", "secure",
			"status", "zone", "metadata", "leaseTtlSeconds");

	private static final Set<String> STATUS_FIELDS = Set.of("status");

	private static final String STATUS_VALUES = "one of STARTING, UP, DRAINING, DOWN";

	private final Registry registry;

	private final JsonBodyReader reader;

	private final JsonReplies replies;

	private final int defaultLeaseTtlSeconds;

	InstanceEndpoints(Registry registry, JsonBodyReader reader, JsonReplies replies, int defaultLeaseTtlSeconds) {
		this.registry = registry;
		this.reader = reader;
		this.replies = replies;
		this.defaultLeaseTtlSeconds = defaultLeaseTtlSeconds;
	}

	ApiReply register(ApiRequest request) {
		String service = request.service();
		request.allowQuery(Set.of());
		request.requireAccepts(MediaType.APPLICATION_JSON);
		return new ApiReply.Pending(this.reader.readObject(request).map((body) -> {
			Registration registration = this.registry.register(toRegistration(service, body),
					request.caller());
			if (!registration.created()) {
				return this.replies.json(HttpStatus.OK, registration.instance());
			}
			String location = "/v1/services/" + service + "/instances/"
					+ UriUtils.encodePathSegment(registration.instance().instanceId(), StandardCharsets.UTF_8);
			return this.replies.json(HttpStatus.CREATED, registration.instance(), Map.of("Location", location));
		}));
	}

	private InstanceRegistration toRegistration(String service, Map<String, Object> body) {
		JsonFields fields = new JsonFields(body, REGISTRATION_FIELDS);
		String bodyService = fields.string("service");
		String instanceId = fields.string("instanceId");
		String host = fields.string("host");
		Integer port = fields.integer("port");
		Boolean secure = fields.bool("secure");
		String statusText = fields.string("status");
		String zone = fields.string("zone");
		Map<String, String> metadata = fields.stringMap("metadata");
		Integer ttl = fields.integer("leaseTtlSeconds");
		fields.check();
		if (bodyService != null && !Rules.normalizeService(bodyService).equals(service)) {
			throw new InvalidInputException("service", "must match the service in the path, '" + service + "' (got "
					+ Rules.quote(bodyService) + ")");
		}
		InstanceStatus status = (statusText != null) ? parseStatus(statusText) : null;
		return InstanceRegistration.validated(service, instanceId, host, port, secure, status, zone, metadata, ttl,
				this.defaultLeaseTtlSeconds);
	}

	ApiReply heartbeat(ApiRequest request) {
		String service = request.service();
		String instanceId = request.instanceId();
		request.allowQuery(Set.of());
		request.requireNoBody();
		this.registry.heartbeat(service, instanceId, request.caller());
		return JsonReplies.NO_CONTENT;
	}

	ApiReply updateStatus(ApiRequest request) {
		String service = request.service();
		String instanceId = request.instanceId();
		request.allowQuery(Set.of());
		request.requireAccepts(MediaType.APPLICATION_JSON);
		return new ApiReply.Pending(this.reader.readObject(request).map((body) -> {
			JsonFields fields = new JsonFields(body, STATUS_FIELDS);
			String statusText = fields.string("status");
			fields.check();
			if (statusText == null) {
				throw new InvalidInputException("status", "is required: " + STATUS_VALUES);
			}
			InstanceStatus status = parseStatus(statusText);
			return this.replies.json(HttpStatus.OK, this.registry.updateStatus(service, instanceId, status,
					request.caller()));
		}));
	}

	ApiReply deregister(ApiRequest request) {
		String service = request.service();
		String instanceId = request.instanceId();
		request.allowQuery(Set.of());
		request.requireNoBody();
		this.registry.deregister(service, instanceId, request.caller());
		return JsonReplies.NO_CONTENT;
	}

	ApiReply get(ApiRequest request) {
		String service = request.service();
		String instanceId = request.instanceId();
		request.allowQuery(Set.of());
		request.requireNoBody();
		request.requireAccepts(MediaType.APPLICATION_JSON);
		return this.registry.instance(service, instanceId)
			.map((instance) -> this.replies.json(HttpStatus.OK, instance))
			.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
	}

	private static InstanceStatus parseStatus(String text) {
		InstanceStatus status = InstanceStatus.parse(text);
		if (status == null) {
			throw new InvalidInputException("status", "must be " + STATUS_VALUES + " (got " + Rules.quote(text) + ")");
		}
		return status;
	}

}
