package io.beacon.client.registry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WatchIdleTimeoutTests {

	@Test
	void followsThreeOfTheKeepAliveIntervalsTheRegistryAnnounces() {
		WatchIdleTimeout following = WatchIdleTimeout.of(null);
		assertThat(following.forKeepAlive(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(45));
		assertThat(following.forKeepAlive(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void aRegistryThatAnnouncesNothingGetsTheFallback() {
		assertThat(WatchIdleTimeout.of(null).forKeepAlive(null)).isEqualTo(Duration.ofSeconds(45));
		assertThat(WatchIdleTimeout.of(null).forKeepAlive(Duration.ZERO)).isEqualTo(Duration.ofSeconds(45));
	}

	@Test
	void aTimeoutSetExplicitlyWins() {
		WatchIdleTimeout set = WatchIdleTimeout.of(Duration.ofSeconds(20));
		assertThat(set.forKeepAlive(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(20));
		assertThat(set.forKeepAlive(null)).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void zeroOrNegativeTimeoutsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> WatchIdleTimeout.of(Duration.ZERO))
			.withMessageContaining("positive");
		assertThatIllegalArgumentException().isThrownBy(() -> new WatchIdleTimeout(null, Duration.ofSeconds(-1)));
	}

}
