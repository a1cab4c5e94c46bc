package io.beacon.registry.core;

/** The in-memory {@link Registry} keeps the store contract. */
class MemoryRegistryContractTests extends RegistryStoreContract {

	private final Registry registry = new Registry(this.clock, this.clock, 100);

	@Override
	protected RegistryStore store() {
		return this.registry;
	}

}
