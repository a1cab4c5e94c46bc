package io.beacon.registry.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.Registry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WatchSessionTests {

	private final MutableClock clock = new MutableClock(Instant.EPOCH);

	private final Registry registry = new Registry(this.clock, this.clock, 100);

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
					register("i" + i);
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
					register("i" + i);
				}
			})
			.expectNextCount(100)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.registry.openWatches()).isZero();
		assertThat(this.metrics.eventsSent().count()).isEqualTo(101.0);
	}

	@Test
	void longReplayIsNotCutOffAsASlowWatcherByTheNextLiveChange() {
		for (int i = 0; i < 90; i++) {
			register("r" + i);
		}
		long resumeFrom = this.registry.index() - 90;
		// 90 replayed changes wait for a consumer that asked for one item; the limit is 16 live changes.
		StepVerifier.create(WatchSession.open(this.registry, Set.of(), OptionalLong.of(resumeFrom),
				new WatchEvents(JsonMapper.builder().build()), this.metrics, 16), 1)
			.expectNextCount(1)
			.then(() -> register("live"))
			.thenRequest(Long.MAX_VALUE)
			// the rest of the replay (89 changes after the ':resumed' comment's 1), then the live change
			.expectNextCount(90)
			.assertNext((frame) -> assertThat(new String(frame, StandardCharsets.UTF_8)).contains("\"live\""))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.metrics.overflows().count()).isZero();
	}

	@Test
	void aStreamThatRequestsNothingDoesNotStopKeepAlivesOfTheOthers() {
		KeepAlives keepAlives = new KeepAlives(Duration.ofMillis(2));
		WatchEvents events = new WatchEvents(JsonMapper.builder().build());
		AtomicInteger received = new AtomicInteger();
		BaseSubscriber<byte[]> stalled = new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				// asks for nothing, ever: a watcher whose connection stopped reading
			}
		};
		WatchSession.open(this.registry, Set.of(), OptionalLong.empty(), events, this.metrics, 1024,
				keepAlives.forStream())
			.subscribe(stalled);
		Disposable reading = WatchSession.open(this.registry, Set.of(), OptionalLong.empty(), events, this.metrics,
				1024, keepAlives.forStream())
			.subscribe((frame) -> received.incrementAndGet());
		try {
			// far more keep-alives than any operator between the timer and a stream prefetches
			await().atMost(Duration.ofSeconds(30)).until(() -> received.get() > 1_000);
		}
		finally {
			reading.dispose();
			stalled.dispose();
		}
	}

	private void register(String id) {
		this.registry.register(InstanceRegistration.builder()
			.service("svc")
			.instanceId(id)
			.host("h")
			.port(80)
			.leaseTtl(Duration.ofSeconds(15))
			.build());
	}

}
