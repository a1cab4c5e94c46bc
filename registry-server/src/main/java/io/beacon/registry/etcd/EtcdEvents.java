package io.beacon.registry.etcd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.beacon.registry.core.ChangeCause;
import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.ReplicaView;
import io.beacon.registry.core.StoredInstance;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * The events of one etcd watch response read as registry changes: owner keys put or deleted, and
 * instances stored or removed, each removal with its cause (from the removal marker written in the
 * same transaction). The replica's own watch and a replay from etcd's history read them alike, so
 * both emit the same changes with the same revisions.
 */
final class EtcdEvents {

	/** An owner key put ({@code owner} is the replica) or deleted ({@code owner} is null). */
	record OwnerEvent(String name, String owner) {
	}

	/**
	 * An instance key put or deleted.
	 * @param after the instance as stored now, null when it was removed
	 * @param before the instance as it was stored before, null when it was new (or not known)
	 */
	record InstanceEvent(String service, String instanceId, long revision, ChangeCause cause, StoredInstance after,
			StoredInstance before) {

		String name() {
			return this.service + "/" + this.instanceId;
		}

		/** The change watchers are told of, as every replica emits it; none for a put that changes nothing. */
		Optional<ChangeEvent> change() {
			if (this.after != null) {
				return ReplicaView.changeOf(this.before, this.after, this.cause);
			}
			return Optional.ofNullable(this.before)
				.map((gone) -> new ChangeEvent(this.revision, this.cause, gone.effective()));
		}

	}

	final List<OwnerEvent> owners = new ArrayList<>();

	final List<InstanceEvent> instances = new ArrayList<>();

	/** The latest revision among the events, 0 when there were none. */
	final long lastRevision;

	private EtcdEvents(EtcdRecords records, List<WatchEvent> events) {
		Map<Long, Map<String, ChangeCause>> removals = new HashMap<>();
		long last = 0;
		for (WatchEvent event : events) {
			KeyValue kv = event.getKeyValue();
			last = Math.max(last, kv.getModRevision());
			boolean put = event.getEventType() == WatchEvent.EventType.PUT;
			String owned = EtcdRecords.nameUnder(records.ownersPrefix(), kv.getKey());
			if (owned != null) {
				this.owners.add(new OwnerEvent(owned, put ? kv.getValue().toString() : null));
			}
			else if (put && kv.getKey().equals(records.removedKey())) {
				Map.Entry<String, ChangeCause> removal = EtcdRecords.decodeRemoval(kv.getValue());
				removals.computeIfAbsent(kv.getModRevision(), (r) -> new HashMap<>())
					.put(removal.getKey(), removal.getValue());
			}
		}
		this.lastRevision = last;
		for (WatchEvent event : events) {
			KeyValue kv = event.getKeyValue();
			String instance = EtcdRecords.nameUnder(records.instancesPrefix(), kv.getKey());
			if (instance == null) {
				continue;
			}
			int slash = instance.indexOf('/');
			KeyValue prev = event.getPrevKV();
			StoredInstance before = (prev != null && prev.getVersion() > 0)
					? EtcdRecords.decode(prev.getValue(), prev.getModRevision()).stored() : null;
			if (event.getEventType() == WatchEvent.EventType.PUT) {
				EtcdRecords.Decoded decoded = EtcdRecords.decode(kv.getValue(), kv.getModRevision());
				this.instances.add(new InstanceEvent(instance.substring(0, slash), instance.substring(slash + 1),
						kv.getModRevision(), decoded.cause(), decoded.stored(), before));
			}
			else {
				ChangeCause cause = removals.getOrDefault(kv.getModRevision(), Map.of())
					.getOrDefault(instance, ChangeCause.DEREGISTERED);
				this.instances.add(new InstanceEvent(instance.substring(0, slash), instance.substring(slash + 1),
						kv.getModRevision(), cause, null, before));
			}
		}
	}

	/** Reads the events of one watch response. */
	static EtcdEvents read(EtcdRecords records, List<WatchEvent> events) {
		return new EtcdEvents(records, events);
	}

}
