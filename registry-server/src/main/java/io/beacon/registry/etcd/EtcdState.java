package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.beacon.registry.core.StoredInstance;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;

/**
 * Everything the registry keeps in etcd, read in one get at one revision: what a replica starts
 * from, and reloads when its watch can no longer follow (etcd compacted what it missed).
 *
 * @param instances every instance
 * @param owners the owner replica of each owned instance, by {@code service/id}
 * @param revision the etcd revision of this state
 * @param lastChange the revision of the latest instance change up to it: a stored instance's, or
 * the removal marker's (written with every removal)
 * @param clusterId the etcd cluster's id
 */
record EtcdState(List<StoredInstance> instances, Map<String, String> owners, long revision, long lastChange,
		long clusterId) {

	/** The {@code service/id} of every instance. */
	Set<String> names() {
		Set<String> names = new HashSet<>();
		for (StoredInstance stored : this.instances) {
			names.add(stored.reported().service() + "/" + stored.reported().instanceId());
		}
		return names;
	}

	static EtcdState read(Client client, EtcdRecords records, Duration timeout)
			throws InterruptedException, ExecutionException, TimeoutException {
		GetResponse all = client.getKVClient()
			.get(records.root(), GetOption.builder().isPrefix(true).build())
			.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		List<StoredInstance> instances = new ArrayList<>();
		Map<String, String> owners = new HashMap<>();
		long lastChange = 0;
		for (KeyValue kv : all.getKvs()) {
			String instance = EtcdRecords.nameUnder(records.instancesPrefix(), kv.getKey());
			String owned = EtcdRecords.nameUnder(records.ownersPrefix(), kv.getKey());
			if (instance != null) {
				instances.add(EtcdRecords.decode(kv.getValue(), kv.getModRevision()).stored());
				lastChange = Math.max(lastChange, kv.getModRevision());
			}
			else if (owned != null) {
				owners.put(owned, kv.getValue().toString());
			}
			else if (kv.getKey().equals(records.removedKey())) {
				lastChange = Math.max(lastChange, kv.getModRevision());
			}
		}
		return new EtcdState(instances, owners, all.getHeader().getRevision(), lastChange,
				all.getHeader().getClusterId());
	}

}
