package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A sequenced write that arrives after a later write of the same client (its sender gave up on it)
 * changes nothing; unsequenced writes behave as they always did.
 */
class WriteOrderTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final Registry registry = RegistryTests.registry(this.clock);

	@Test
	void aLateRegistrationWithALowerSequenceChangesNothing() {
		this.registry.register(registration(InstanceStatus.UP), Actor.ANYONE, 11);
		Instance before = this.registry.instance("svc", "i-1").orElseThrow();
		long index = this.registry.index();
		assertThatExceptionOfType(StaleWriteException.class)
			.isThrownBy(() -> this.registry.register(registration(InstanceStatus.STARTING), Actor.ANYONE, 10))
			.withMessageContaining("older than the sequence already applied, 11");
		assertThat(this.registry.instance("svc", "i-1")).hasValue(before);
		assertThat(this.registry.index()).isEqualTo(index);
	}

	@Test
	void aLateStatusUpdateWithALowerSequenceChangesNothing() {
		this.registry.register(registration(InstanceStatus.STARTING), Actor.ANYONE, 10);
		this.registry.updateStatus("svc", "i-1", InstanceStatus.DRAINING, ChangeCause.STATUS_CHANGED, Actor.ANYONE, 12);
		assertThatExceptionOfType(StaleWriteException.class).isThrownBy(() -> this.registry.updateStatus("svc", "i-1",
				InstanceStatus.UP, ChangeCause.STATUS_CHANGED, Actor.ANYONE, 11));
		assertThatExceptionOfType(StaleWriteException.class)
			.isThrownBy(() -> this.registry.register(registration(InstanceStatus.UP), Actor.ANYONE, 11));
		assertThat(this.registry.instance("svc", "i-1").orElseThrow().status()).isEqualTo(InstanceStatus.DRAINING);
	}

	@Test
	void aWriteWithAHigherOrEqualSequenceApplies() {
		this.registry.register(registration(InstanceStatus.STARTING), Actor.ANYONE, 10);
		this.registry.register(registration(InstanceStatus.UP), Actor.ANYONE, 11);
		assertThat(this.registry.instance("svc", "i-1").orElseThrow().status()).isEqualTo(InstanceStatus.UP);
		this.registry.updateStatus("svc", "i-1", InstanceStatus.DRAINING, ChangeCause.STATUS_CHANGED, Actor.ANYONE, 11);
		assertThat(this.registry.instance("svc", "i-1").orElseThrow().status()).isEqualTo(InstanceStatus.DRAINING);
	}

	@Test
	void aWriteWithoutASequenceAppliesAndLeavesTheAppliedSequenceAsItWas() {
		this.registry.register(registration(InstanceStatus.UP), Actor.ANYONE, 11);
		this.registry.updateStatus("svc", "i-1", InstanceStatus.DOWN, Actor.ANYONE);
		assertThat(this.registry.instance("svc", "i-1").orElseThrow().status()).isEqualTo(InstanceStatus.DOWN);
		this.registry.register(registration(InstanceStatus.STARTING), Actor.ANYONE);
		assertThat(this.registry.instance("svc", "i-1").orElseThrow().status()).isEqualTo(InstanceStatus.STARTING);
		assertThatExceptionOfType(StaleWriteException.class)
			.isThrownBy(() -> this.registry.register(registration(InstanceStatus.UP), Actor.ANYONE, 10));
		this.registry.register(registration(InstanceStatus.UP), Actor.ANYONE, 12);
		assertThat(this.registry.instance("svc", "i-1").orElseThrow().status()).isEqualTo(InstanceStatus.UP);
	}

	private static InstanceRegistration registration(InstanceStatus status) {
		return InstanceRegistration.builder()
			.service("svc")
			.instanceId("i-1")
			.host("127.0.0.1")
			.port(8080)
			.status(status)
			.leaseTtl(Duration.ofSeconds(15))
			.build();
	}

}
