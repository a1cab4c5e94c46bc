package io.beacon.registry.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.Registry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class WatchSessionTests {

	private final Registry registry = new Registry(new MutableClock(Instant.EPOCH), 100);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final WatchMetrics metrics = WatchMetrics.of(this.meters);

	@Test
	void watcherThatFallsTooFarBehindIsCutOffAndReleasedFromTheRegistry() {
		StepVerifier.create(WatchSession.open(this.registry, Set.of(), OptionalLong.empty(),
				new WatchEvents(JsonMapper.builder().build()), this.metrics, 16), 1)
			.expectNextCount(1)
			.then(() -> {
				// operators between the registry and the socket prefetch a few hundred changes;
				// beyond those, 16 more may wait before the watcher is cut off
				for (int i = 0; i < 400; i++) {
					this.registry.register(InstanceRegistration.builder()
							.service("svc")
							.instanceId("i" + i)
							.host("h")
							.port(80)
							.metadata(Map.of())
							.leaseTtl(Duration.ofSeconds(15))
							.build());
				}
			})
			.expectError(WatchSession.SlowWatcherException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(this.registry.openWatches()).isZero();
		assertThat(this.metrics.overflows().count()).isEqualTo(1.0);
		assertThat(this.registry.instance("svc", "i399")).isPresent();
	}

	@Test
	void watcherThatKeepsUpGetsEveryChange() {
		StepVerifier.create(WatchSession.open(this.registry, Set.of(), OptionalLong.empty(),
				new WatchEvents(JsonMapper.builder().build()), this.metrics, 16))
			.expectNextCount(1)
			.then(() -> {
				for (int i = 0; i < 100; i++) {
					this.registry.register(InstanceRegistration.builder()
							.service("svc")
							.instanceId("i" + i)
							.host("h")
							.port(80)
							.metadata(Map.of())
							.leaseTtl(Duration.ofSeconds(15))
							.build());
				}
			})
			.expectNextCount(100)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.registry.openWatches()).isZero();
		assertThat(this.metrics.eventsSent().count()).isEqualTo(101.0);
	}

}
