package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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

	/** Keys per range request. */
	static final int PAGE_KEYS = 1000;

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
		return readAsync(client, records).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Reads the state page after page, each requested when the one before has arrived and been
	 * decoded (on the etcd client's threads); completes with the whole state, or with the first failure.
	 */
	static CompletableFuture<EtcdState> readAsync(Client client, EtcdRecords records) {
		Pages pages = new Pages(client, records);
		return pages.request(records.root(), 0).thenCompose((first) -> pages.take(first, first));
	}

	/** The pages of one read: what they held so far, and where the next one starts. */
	private static final class Pages {

		private final Client client;

		private final EtcdRecords records;

		private final ByteSequence end;

		private final List<StoredInstance> instances = new ArrayList<>();

		private final Map<String, String> owners = new HashMap<>();

		private long lastChange;

		Pages(Client client, EtcdRecords records) {
			this.client = client;
			this.records = records;
			this.end = OptionsUtil.prefixEndOf(records.root());
		}

		/** Up to PAGE_KEYS keys from {@code from} (inclusive), at {@code revision} (0: the latest). */
		CompletableFuture<GetResponse> request(ByteSequence from, long revision) {
			return this.client.getKVClient()
				.get(from, GetOption.builder().withRange(this.end).withLimit(PAGE_KEYS).withRevision(revision).build());
		}

		CompletableFuture<EtcdState> take(GetResponse first, GetResponse page) {
			for (KeyValue kv : page.getKvs()) {
				add(kv);
			}
			long revision = first.getHeader().getRevision();
			if (!page.isMore() || page.getKvs().isEmpty()) {
				return CompletableFuture.completedFuture(new EtcdState(this.instances, this.owners, revision,
						this.lastChange, first.getHeader().getClusterId()));
			}
			ByteSequence after = page.getKvs().get(page.getKvs().size() - 1).getKey().concat(NUL);
			return request(after, revision).thenCompose((next) -> take(first, next));
		}

		private void add(KeyValue kv) {
			String instance = EtcdRecords.nameUnder(this.records.instancesPrefix(), kv.getKey());
			String owned = EtcdRecords.nameUnder(this.records.ownersPrefix(), kv.getKey());
			if (instance != null) {
				this.instances.add(EtcdRecords.decode(kv.getValue(), kv.getModRevision()).stored());
				this.lastChange = Math.max(this.lastChange, kv.getModRevision());
			}
			else if (owned != null) {
				this.owners.put(owned, kv.getValue().toString());
			}
			else if (kv.getKey().equals(this.records.removedKey())) {
				this.lastChange = Math.max(this.lastChange, kv.getModRevision());
			}
		}

	}

}
