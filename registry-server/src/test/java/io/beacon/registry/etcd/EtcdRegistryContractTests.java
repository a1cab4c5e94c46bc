package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.UUID;

import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.RegistryStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The etcd store keeps the store contract, against a real one-member etcd on loopback. */
class EtcdRegistryContractTests extends RegistryStoreContract {

	private static EtcdCluster etcd;

	private EtcdRegistry registry;

	@BeforeAll
	static void startEtcd() throws Exception {
		etcd = EtcdCluster.start(1);
	}

	@AfterAll
	static void stopEtcd() throws Exception {
		if (etcd != null) {
			etcd.close();
		}
	}

	static EtcdSettings settings(EtcdCluster etcd, String prefix) {
		return new EtcdSettings(etcd.endpoints(), prefix, Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(10));
	}

	@BeforeEach
	void connect() {
		// A prefix of its own per test: the tests share one etcd but never each other's keys.
		this.registry = EtcdRegistry.connect(settings(etcd, "/test-" + UUID.randomUUID()), this.clock, this.clock,
				100);
	}

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Override
	protected RegistryStore store() {
		return this.registry;
	}

}
