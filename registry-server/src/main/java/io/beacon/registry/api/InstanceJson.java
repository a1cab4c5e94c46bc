package io.beacon.registry.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import io.beacon.registry.core.Instance;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an {@link Instance} as the API's JSON: the record's components in order, {@code zone} left
 * out when absent, times as ISO-8601 instants, the lease as whole seconds in {@code leaseTtlSeconds}
 * (the wire's unit, and the only place the registry turns its {@code Duration} into one), written
 * directly: an instance is in every reply of
 * the write side and in every watch event, and reflection over the record plus the general-purpose
 * instant formatter were a visible share of a registration on a freshly started server.
 */
final class InstanceJson extends StdSerializer<Instance> {

	private static final SerializableString INSTANCE_ID = new SerializedString("instanceId");

	private static final SerializableString SERVICE = new SerializedString("service");

	private static final SerializableString HOST = new SerializedString("host");

	private static final SerializableString PORT = new SerializedString("port");

	private static final SerializableString SECURE = new SerializedString("secure");

	private static final SerializableString STATUS = new SerializedString("status");

	private static final SerializableString ZONE = new SerializedString("zone");

	private static final SerializableString METADATA = new SerializedString("metadata");

	/** The lease on the wire: whole seconds, in a field that says so. */
	static final String LEASE_TTL_SECONDS_FIELD = "leaseTtlSeconds";

	private static final SerializableString LEASE_TTL_SECONDS = new SerializedString(LEASE_TTL_SECONDS_FIELD);

	private static final SerializableString REGISTERED_AT = new SerializedString("registeredAt");

	private static final SerializableString LAST_HEARTBEAT_AT = new SerializedString("lastHeartbeatAt");

	private static final SerializableString OWNER = new SerializedString("owner");

	/** The last whole second formatted, shared by the many instants that fall in it. */
	private static volatile Second lastSecond = new Second(0, "1970-01-01T00:00:00");

	InstanceJson() {
		super(Instance.class);
	}

	/** A module that makes a mapper write instances with this serializer. */
	static SimpleModule module() {
		return new SimpleModule("beacon-instance-json").addSerializer(Instance.class, new InstanceJson());
	}

	@Override
	public void serialize(Instance instance, JsonGenerator json, SerializationContext context) {
		json.writeStartObject(instance);
		writeString(json, INSTANCE_ID, instance.instanceId());
		writeString(json, SERVICE, instance.service());
		writeString(json, HOST, instance.host());
		json.writeName(PORT);
		json.writeNumber(instance.port());
		json.writeName(SECURE);
		json.writeBoolean(instance.secure());
		writeString(json, STATUS, (instance.status() != null) ? instance.status().name() : null);
		writeString(json, ZONE, instance.zone());
		if (instance.metadata() != null) {
			json.writeName(METADATA);
			json.writeStartObject();
			for (Map.Entry<String, String> entry : instance.metadata().entrySet()) {
				json.writeName(entry.getKey());
				json.writeString(entry.getValue());
			}
			json.writeEndObject();
		}
		json.writeName(LEASE_TTL_SECONDS);
		json.writeNumber(instance.leaseTtl().toSeconds());
		writeInstant(json, REGISTERED_AT, instance.registeredAt());
		writeInstant(json, LAST_HEARTBEAT_AT, instance.lastHeartbeatAt());
		writeString(json, OWNER, instance.owner());
		json.writeEndObject();
	}

	/** Leaves out absent values, as the API's {@code non_null} inclusion does. */
	private static void writeString(JsonGenerator json, SerializableString name, String value) {
		if (value != null) {
			json.writeName(name);
			json.writeString(value);
		}
	}

	private static void writeInstant(JsonGenerator json, SerializableString name, Instant instant) {
		if (instant != null) {
			json.writeName(name);
			json.writeString(iso(instant));
		}
	}

	/**
	 * The instant as {@link DateTimeFormatter#ISO_INSTANT} writes it. The registry's instants are
	 * whole milliseconds, most of them within the current second, so the date and time of day are
	 * formatted once per second and the milliseconds appended.
	 */
	static String iso(Instant instant) {
		int nanos = instant.getNano();
		if (nanos % 1_000_000 != 0) {
			return DateTimeFormatter.ISO_INSTANT.format(instant);
		}
		long epochSecond = instant.getEpochSecond();
		Second second = lastSecond;
		if (second.epochSecond != epochSecond) {
			String whole = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond));
			second = new Second(epochSecond, whole.substring(0, whole.length() - 1));
			lastSecond = second;
		}
		if (nanos == 0) {
			return second.text + "Z";
		}
		int millis = nanos / 1_000_000;
		char[] fraction = { '.', (char) ('0' + millis / 100), (char) ('0' + millis / 10 % 10),
				(char) ('0' + millis % 10), 'Z' };
		return second.text.concat(new String(fraction));
	}

	/**
	 * A formatted whole second, without the zone designator.
	 */
	private record Second(long epochSecond, String text) {
	}

}
