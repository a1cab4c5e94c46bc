package io.beacon.registry.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.StoredInstance;
import io.etcd.jetcd.ByteSequence;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The keys and JSON values Beacon keeps in etcd, all under one prefix:
 * {@code {prefix}/instances/{service}/{id}} (an instance, with the cause of its last change),
 * {@code {prefix}/owners/{service}/{id}} (the replica that times its lease, under that replica's
 * session lease) and {@code {prefix}/removed} (the service, id and cause of the latest removal,
 * written in the same transaction as the delete so watchers learn why an instance left).
 */
final class EtcdRecords {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String prefix;

	EtcdRecords(String prefix) {
		this.prefix = prefix;
	}

	ByteSequence root() {
		return bytes(this.prefix + "/");
	}

	ByteSequence instanceKey(String service, String instanceId) {
		return bytes(instancesPrefix() + service + "/" + instanceId);
	}

	ByteSequence ownerKey(String service, String instanceId) {
		return bytes(ownersPrefix() + service + "/" + instanceId);
	}

	ByteSequence removedKey() {
		return bytes(this.prefix + "/removed");
	}

	String instancesPrefix() {
		return this.prefix + "/instances/";
	}

	String ownersPrefix() {
		return this.prefix + "/owners/";
	}

	/** {@code service/id} of a key under {@code keyPrefix}, or null when the key is not under it. */
	static String nameUnder(String keyPrefix, ByteSequence key) {
		String text = key.toString(StandardCharsets.UTF_8);
		return text.startsWith(keyPrefix) ? text.substring(keyPrefix.length()) : null;
	}

	static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	/**
	 * The stored value of an instance.
	 * @param writeSeq the highest write sequence of its client applied, kept so that a late write
	 * with a lower one is refused whichever replica it reaches
	 * @param cause why it was written (watchers are told)
	 */
	static ByteSequence encode(Instance reported, boolean lapsed, long writeSeq, ChangeCause cause) {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("instanceId", reported.instanceId());
		value.put("service", reported.service());
		value.put("host", reported.host());
		value.put("port", reported.port());
		value.put("secure", reported.secure());
		value.put("status", reported.status().name());
		value.put("zone", reported.zone());
		value.put("metadata", reported.metadata());
		value.put("leaseTtl", reported.leaseTtl().toString());
		value.put("registeredAt", reported.registeredAt().toString());
		value.put("lastHeartbeatAt", reported.lastHeartbeatAt().toString());
		value.put("owner", reported.owner());
		value.put("lapsed", lapsed);
		value.put("writeSeq", writeSeq);
		value.put("cause", cause.wireName());
		return ByteSequence.from(json.writeValueAsBytes(value));
	}

	/** The instance of a stored value, at the revision that wrote it, and the cause of that write. */
	static Decoded decode(ByteSequence value, long revision) {
		JsonNode node = json.readTree(value.getBytes());
		Map<String, String> metadata = new LinkedHashMap<>();
		node.path("metadata").properties().forEach((e) -> metadata.put(e.getKey(), e.getValue().asString()));
		JsonNode zone = node.get("zone");
		JsonNode owner = node.get("owner");
		Instance reported = new Instance(node.get("instanceId").asString(), node.get("service").asString(),
				node.get("host").asString(), node.get("port").asInt(), node.get("secure").asBoolean(),
				InstanceStatus.valueOf(node.get("status").asString()),
				(zone == null || zone.isNull()) ? null : zone.asString(), Map.copyOf(metadata),
				Duration.parse(node.get("leaseTtl").asString()), Instant.parse(node.get("registeredAt").asString()),
				Instant.parse(node.get("lastHeartbeatAt").asString()),
				(owner == null || owner.isNull()) ? null : owner.asString());
		JsonNode writeSeq = node.get("writeSeq");
		return new Decoded(new StoredInstance(reported, node.get("lapsed").asBoolean(),
				(writeSeq == null) ? 0 : writeSeq.asLong(), revision),
				cause(node.get("cause").asString()));
	}

	static ByteSequence encodeRemoval(String service, String instanceId, ChangeCause cause) {
		return ByteSequence.from(json.writeValueAsBytes(Map.of("service", service, "instanceId", instanceId,
				"cause", cause.wireName())));
	}

	/** {@code service/id} and the cause of a removal marker. */
	static Map.Entry<String, ChangeCause> decodeRemoval(ByteSequence value) {
		JsonNode node = json.readTree(value.getBytes());
		return Map.entry(node.get("service").asString() + "/" + node.get("instanceId").asString(),
				cause(node.get("cause").asString()));
	}

	private static ChangeCause cause(String wireName) {
		return ChangeCause.valueOf(wireName.toUpperCase(Locale.ROOT));
	}

	record Decoded(StoredInstance stored, ChangeCause cause) {
	}

}
