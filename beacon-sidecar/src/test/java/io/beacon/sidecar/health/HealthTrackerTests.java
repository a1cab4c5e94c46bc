package io.beacon.sidecar.health;

import io.beacon.client.InstanceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HealthTrackerTests {

	private final HealthTracker tracker = new HealthTracker(2, 3);

	@Test
	void appIsStartingUntilItsFirstHealthyProbe() {
		assertThat(this.tracker.status()).isEqualTo(InstanceStatus.STARTING);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.STARTING);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.STARTING);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.STARTING);
		assertThat(this.tracker.record(true)).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void upAppTurnsDownOnlyAfterTheUnhealthyThresholdInARow() {
		this.tracker.record(true);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.UP);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.UP);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void healthyProbeBetweenUnhealthyOnesStartsTheCountAgain() {
		this.tracker.record(true);
		this.tracker.record(false);
		this.tracker.record(false);
		this.tracker.record(true);
		this.tracker.record(false);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.UP);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void downAppTurnsUpOnlyAfterTheHealthyThresholdInARow() {
		downTracker();
		assertThat(this.tracker.record(true)).isEqualTo(InstanceStatus.DOWN);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.DOWN);
		assertThat(this.tracker.record(true)).isEqualTo(InstanceStatus.DOWN);
		assertThat(this.tracker.record(true)).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void recoveredAppNeedsTheWholeUnhealthyThresholdAgainToTurnDown() {
		downTracker();
		this.tracker.record(true);
		this.tracker.record(true);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.UP);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.UP);
		assertThat(this.tracker.record(false)).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void thresholdsOfOneFollowEveryProbe() {
		HealthTracker eager = new HealthTracker(1, 1);
		assertThat(eager.record(true)).isEqualTo(InstanceStatus.UP);
		assertThat(eager.record(false)).isEqualTo(InstanceStatus.DOWN);
		assertThat(eager.record(true)).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void thresholdBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new HealthTracker(0, 3))
			.withMessageContaining("healthy 0");
	}

	private void downTracker() {
		this.tracker.record(true);
		for (int i = 0; i < 3; i++) {
			this.tracker.record(false);
		}
		assertThat(this.tracker.status()).isEqualTo(InstanceStatus.DOWN);
	}

}
