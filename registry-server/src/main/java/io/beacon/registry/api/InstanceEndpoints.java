package io.beacon.registry.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Registration;
import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.Validation;
import io.beacon.registry.core.Violation;
import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import io.beacon.registry.http.ClientText;
import io.beacon.registry.http.JsonBodyReader;
import io.beacon.registry.http.JsonFields;
import io.beacon.registry.http.JsonReplies;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;

/**
 * The write side of the API (register, heartbeat, status, deregister) and reading one instance.
 */
final class InstanceEndpoints {

	private static final Set<String> REGISTRATION_FIELDS = Set.of("instanceId", "service", "host", "port", "secure",
			"status", "zone", "metadata", InstanceJson.LEASE_TTL_SECONDS_FIELD);

	private static final String LEASE_TTL_SECONDS = InstanceJson.LEASE_TTL_SECONDS_FIELD;

	private static final Set<String> STATUS_FIELDS = Set.of("status", "cause");

	/** The causes a client may give with a status, and the one status each goes with. */
	private static final Map<String, InstanceStatus> CLIENT_CAUSES = Map.of(ChangeCause.HEALTH_DOWN.wireName(),
			InstanceStatus.DOWN, ChangeCause.HEALTH_RESTORED.wireName(), InstanceStatus.UP);

	private static final String STATUS_VALUES = "one of STARTING, UP, DRAINING, DOWN";

	private final RegistryStore registry;

	private final JsonBodyReader reader;

	private final JsonReplies replies;

	private final Duration defaultLeaseTtl;

	InstanceEndpoints(RegistryStore registry, JsonBodyReader reader, JsonReplies replies, Duration defaultLeaseTtl) {
		this.registry = registry;
		this.reader = reader;
		this.replies = replies;
		this.defaultLeaseTtl = defaultLeaseTtl;
	}

	ApiReply register(ApiRequest request) {
		String service = PathVariables.service(request);
		request.allowQuery(Set.of());
		request.requireAccepts(MediaType.APPLICATION_JSON);
		long writeSeq = request.writeSeq();
		return new ApiReply.Pending(this.reader.readObject(request).map((body) -> {
			Registration registration = this.registry.register(toRegistration(service, body),
					request.caller(), writeSeq);
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
		InstanceRegistration.Builder registration = InstanceRegistration.builder()
			.service(service)
			.instanceId(fields.string("instanceId"))
			.host(fields.string("host"))
			.port(fields.integer("port"))
			.secure(fields.bool("secure"))
			.zone(fields.string("zone"))
			.metadata(fields.stringMap("metadata"));
		String statusText = fields.string("status");
		Integer ttlSeconds = fields.integer(LEASE_TTL_SECONDS);
		fields.check();
		if (bodyService != null && !Validation.normalizeService(bodyService).equals(service)) {
			throw new InvalidInputException(new Violation("service",
					"must match the service in the path, '" + service + "'", bodyService));
		}
		if (statusText != null) {
			registration.status(parseStatus(statusText));
		}
		List<Violation> violations = new ArrayList<>();
		registration.leaseTtl(leaseTtl(ttlSeconds, violations));
		try {
			InstanceRegistration checked = registration.build();
			if (violations.isEmpty()) {
				return checked;
			}
		}
		catch (InvalidInputException ex) {
			violations.addAll(0, ex.getViolations());
		}
		throw new InvalidInputException(violations);
	}

	/**
	 * The lease the client asks for, in the wire's unit (whole seconds), or the default; checked
	 * here so the problem names the field the client sent.
	 */
	private Duration leaseTtl(Integer seconds, List<Violation> violations) {
		if (seconds == null) {
			return this.defaultLeaseTtl;
		}
		long min = Validation.MIN_LEASE_TTL.toSeconds();
		long max = Validation.MAX_LEASE_TTL.toSeconds();
		if (seconds < min || seconds > max) {
			violations.add(new Violation(LEASE_TTL_SECONDS,
					"must be between " + min + " and " + max + " (got " + seconds + ")"));
			return this.defaultLeaseTtl;
		}
		return Duration.ofSeconds(seconds);
	}

	ApiReply heartbeat(ApiRequest request) {
		String service = PathVariables.service(request);
		String instanceId = PathVariables.instanceId(request);
		request.allowQuery(Set.of());
		request.requireNoBody();
		this.registry.heartbeat(service, instanceId, request.caller());
		return JsonReplies.NO_CONTENT;
	}

	/** Whether this heartbeat only renews a lease in memory (it then need not leave the event loop). */
	boolean heartbeatIsInMemory(ApiRequest request) {
		return !this.registry.heartbeatBlocks(request.pathVariable("service"), request.pathVariable("instanceId"));
	}

	ApiReply updateStatus(ApiRequest request) {
		String service = PathVariables.service(request);
		String instanceId = PathVariables.instanceId(request);
		request.allowQuery(Set.of());
		request.requireAccepts(MediaType.APPLICATION_JSON);
		long writeSeq = request.writeSeq();
		return new ApiReply.Pending(this.reader.readObject(request).map((body) -> {
			JsonFields fields = new JsonFields(body, STATUS_FIELDS);
			String statusText = fields.string("status");
			String causeText = fields.string("cause");
			fields.check();
			if (statusText == null) {
				throw new InvalidInputException("status", "is required: " + STATUS_VALUES);
			}
			InstanceStatus status = parseStatus(statusText);
			ChangeCause cause = parseCause(causeText, status);
			return this.replies.json(HttpStatus.OK, this.registry.updateStatus(service, instanceId, status, cause,
					request.caller(), writeSeq));
		}));
	}

	ApiReply deregister(ApiRequest request) {
		String service = PathVariables.service(request);
		String instanceId = PathVariables.instanceId(request);
		request.allowQuery(Set.of());
		request.requireNoBody();
		this.registry.deregister(service, instanceId, request.caller());
		return JsonReplies.NO_CONTENT;
	}

	ApiReply get(ApiRequest request) {
		String service = PathVariables.service(request);
		String instanceId = PathVariables.instanceId(request);
		request.allowQuery(Set.of());
		request.requireNoBody();
		request.requireAccepts(MediaType.APPLICATION_JSON);
		return this.registry.instance(service, instanceId)
			.map((instance) -> this.replies.json(HttpStatus.OK, instance))
			.orElseThrow(() -> new InstanceNotFoundException(service, instanceId));
	}

	/** No cause is a plain status change; a given cause must be one clients may report, with its status. */
	private static ChangeCause parseCause(String text, InstanceStatus status) {
		if (text == null) {
			return ChangeCause.STATUS_CHANGED;
		}
		InstanceStatus required = CLIENT_CAUSES.get(text);
		if (required == null) {
			throw new InvalidInputException("cause", "must be health_down or health_restored (got "
					+ ClientText.quote(text) + ")");
		}
		if (required != status) {
			throw new InvalidInputException("cause", ClientText.quote(text) + " goes only with status " + required
					+ " (got " + status + ")");
		}
		return ChangeCause.valueOf(text.toUpperCase(java.util.Locale.ROOT));
	}

	private static InstanceStatus parseStatus(String text) {
		InstanceStatus status = InstanceStatus.parse(text);
		if (status == null) {
			throw new InvalidInputException("status", "must be " + STATUS_VALUES + " (got " + ClientText.quote(text) + ")");
		}
		return status;
	}

}
