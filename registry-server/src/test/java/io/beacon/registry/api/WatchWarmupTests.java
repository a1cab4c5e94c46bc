package io.beacon.registry.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.beacon.registry.config.RegistryProperties;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.http.ApiDispatcher;
import io.beacon.registry.http.Problems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WatchWarmupTests {

	private final JsonMapper json = JsonMapper.builder().addModule(InstanceJson.module()).build();

	private final List<Registry> registries = new ArrayList<>();

	private final ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(1);

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
	}

	@Test
	void sendsEveryChangeToEveryStreamOfItsOwnRegistryAndClosesThem() throws Exception {
		WatchWarmup warmup = warmup(this::schedule);

		warmup.start();

		assertThat(warmup.result().get(60, TimeUnit.SECONDS))
			.isEqualTo((long) WatchWarmup.STREAMS * WatchWarmup.CHANGES);
		assertThat(this.registries).hasSize(1);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.registries.get(0).openWatches() == 0);
	}

	@Test
	void endsAndClosesItsStreamsWhenTheSchedulerStopsUnderIt() throws Exception {
		AtomicInteger steps = new AtomicInteger();
		WatchWarmup warmup = warmup((delay, action) -> (steps.incrementAndGet() > 20) ? null : schedule(delay, action));

		warmup.start();

		assertThatThrownBy(() -> warmup.result().get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.hasMessageContaining("stopping");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.registries.get(0).openWatches() == 0);
	}

	@Test
	void doesNothingWhenTheSchedulerIsNotRunning() {
		WatchWarmup warmup = warmup((delay, action) -> null);

		warmup.start();

		assertThat(warmup.result()).isCompletedExceptionally();
		assertThat(this.registries).isEmpty();
	}

	private Future<?> schedule(Duration delay, Runnable action) {
		return this.executor.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	private WatchWarmup warmup(BiFunction<Duration, Runnable, Future<?>> scheduler) {
		Function<Registry, ApiDispatcher> dispatchers = WatchWarmup.dispatchers(this.json, new Problems(this.json),
				new RegistryProperties().getWatch());
		return new WatchWarmup((registry) -> {
			this.registries.add(registry);
			return dispatchers.apply(registry);
		}, scheduler, Clock.systemUTC(), Ticker.system(), WatchWarmup.CHANGES);
	}

}
