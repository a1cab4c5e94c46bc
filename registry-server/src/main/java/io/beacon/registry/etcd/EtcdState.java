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
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;

/**
 * Everything the registry keeps in etcd, read at one revision: what a replica starts from, and
 * reloads when its watch can no longer follow (etcd compacted what it missed). It is read in pages
 * of {@value #PAGE_KEYS} keys, all at the revision of the first: one get of everything failed as soon
 * as the answer outgrew gRPC's message limit (about 9,000 instances at the default 4 MiB).
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

	/** Keys per range request: a page of typical records is a few hundred KiB. */
	static final int PAGE_KEYS = 500;

	private static final ByteSequence NUL = ByteSequence.from(new byte[] { 0 });

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
		ByteSequence end = OptionsUtil.prefixEndOf(records.root());
		List<StoredInstance> instances = new ArrayList<>();
		Map<String, String> owners = new HashMap<>();
		long lastChange = 0;
		GetResponse first = page(client, records.root(), end, 0, timeout);
		GetResponse page = first;
		while (true) {
			for (KeyValue kv : page.getKvs()) {
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
			if (!page.isMore() || page.getKvs().isEmpty()) {
				break;
			}
			ByteSequence after = page.getKvs().get(page.getKvs().size() - 1).getKey().concat(NUL);
			page = page(client, after, end, first.getHeader().getRevision(), timeout);
		}
		return new EtcdState(instances, owners, first.getHeader().getRevision(), lastChange,
				first.getHeader().getClusterId());
	}

	/** Up to PAGE_KEYS keys from {@code from} (inclusive) to {@code end}, at {@code revision} (0: the latest). */
	private static GetResponse page(Client client, ByteSequence from, ByteSequence end, long revision,
			Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
		GetOption option = GetOption.builder().withRange(end).withLimit(PAGE_KEYS).withRevision(revision).build();
		return client.getKVClient().get(from, option).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
