package io.beacon.registry.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.beacon.registry.config.RegistryProperties;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.http.IndexHeader;
import io.beacon.registry.http.Problems;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WatchWarmupTests {

	private final JsonMapper json = JsonMapper.builder().addModule(InstanceJson.module()).build();

	private final List<Registry> registries = new ArrayList<>();

	@Test
	void warmUpSendsEveryChangeToEveryStreamOfItsOwnRegistry() throws InterruptedException {
		WatchWarmup warmup = new WatchWarmup((registry) -> {
			this.registries.add(registry);
			return ApiConfiguration.dispatcher(registry, new RegistryProperties(), this.json, new SimpleMeterRegistry(),
					new Problems(this.json), new IndexHeader(registry), Clock.systemUTC(), Ticker.system(), "test");
		});

		long delivered = warmup.run();

		assertThat(delivered).isEqualTo((long) WatchWarmup.STREAMS * WatchWarmup.CHANGES);
		assertThat(this.registries).hasSize(1);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.registries.get(0).openWatches() == 0);
	}

}
