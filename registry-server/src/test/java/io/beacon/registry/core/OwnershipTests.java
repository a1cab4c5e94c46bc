package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OwnershipTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final Registry registry = RegistryTests.registry(this.clock);

	private final Actor alice = token("alice", false);

	private final Actor bob = token("bob", false);

	private final Actor admin = token("root", true);

	@Test
	void theRegisteringActorOwnsTheInstance() {
		this.registry.register(registration(8080), this.alice);
		assertThat(this.registry.instance("svc", "i-1").orElseThrow().owner()).isEqualTo("alice");
	}

	@Test
	void anotherActorCannotHeartbeatChangeRemoveOrReRegisterItAndNothingChanges() {
		this.registry.register(registration(8080), this.alice);
		this.clock.advance(Duration.ofSeconds(1));
		Instance before = this.registry.instance("svc", "i-1").orElseThrow();
		long index = this.registry.index();
		assertThatExceptionOfType(InstanceOwnedException.class)
			.isThrownBy(() -> this.registry.heartbeat("svc", "i-1", this.bob));
		assertThatExceptionOfType(InstanceOwnedException.class)
			.isThrownBy(() -> this.registry.updateStatus("svc", "i-1", InstanceStatus.DOWN, this.bob));
		assertThatExceptionOfType(InstanceOwnedException.class)
			.isThrownBy(() -> this.registry.deregister("svc", "i-1", this.bob));
		assertThatExceptionOfType(InstanceOwnedException.class)
			.isThrownBy(() -> this.registry.register(registration(6666), this.bob))
			.withMessageContaining("'i-1'");
		assertThat(this.registry.instance("svc", "i-1")).hasValue(before);
		assertThat(this.registry.index()).isEqualTo(index);
	}

	@Test
	void theOwnerAndAnAdminMayChangeIt() {
		this.registry.register(registration(8080), this.alice);
		this.registry.heartbeat("svc", "i-1", this.alice);
		assertThat(this.registry.updateStatus("svc", "i-1", InstanceStatus.DRAINING, this.admin).owner())
			.isEqualTo("alice");
		this.registry.deregister("svc", "i-1", this.admin);
		assertThat(this.registry.instance("svc", "i-1")).isEmpty();
	}

	@Test
	void anAdminReRegisteringAnInstanceBecomesItsOwner() {
		this.registry.register(registration(8080), this.alice);
		assertThat(this.registry.register(registration(8080), this.admin).instance().owner()).isEqualTo("root");
	}

	private static InstanceRegistration registration(int port) {
		return InstanceRegistration.builder()
			.service("svc")
			.instanceId("i-1")
			.host("127.0.0.1")
			.port(port)
			.leaseTtl(Duration.ofSeconds(15))
			.build();
	}

	private static Actor token(String name, boolean admin) {
		return new Actor() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public boolean mayChange(String owner) {
				return admin || name.equals(owner);
			}

		};
	}

}
