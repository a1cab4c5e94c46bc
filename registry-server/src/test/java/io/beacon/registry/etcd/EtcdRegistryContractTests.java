package io.beacon.registry.etcd;

import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.RegistryStoreContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The etcd store keeps the store contract, against a real one-member etcd on loopback. */
class EtcdRegistryContractTests extends RegistryStoreContract {

	@RegisterExtension
	static final EtcdReplicas etcd = new EtcdReplicas();

	private EtcdRegistry registry;

	@BeforeEach
	void connect() {
		this.registry = etcd.replica(this.clock);
	}

	@Override
	protected RegistryStore store() {
		return this.registry;
	}

}
