package io.beacon.registry.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.core.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watch warm-up in the running registry: it runs once the registry is ready, reaches every
 * private stream, and leaves no trace in the real registry, its meters or its log.
 */
@ExtendWith(OutputCaptureExtension.class)
class WatchWarmupApplicationTests {

	/** A context of its own (not one cached by another test), so its warm-up runs while the output is captured. */
	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "beacon.registry.watch.warm-up=true")
	class On {

		@Autowired
		RegistryStore registry;

		@Autowired
		MeterRegistry meters;

		@Autowired
		WatchWarmup warmup;

		@Test
		void warmsTheWatchPathUpAfterReadyWithoutTouchingTheRealRegistry(CapturedOutput output) throws Exception {
			long index = this.registry.index();

			assertThat(this.warmup.result().get(60, TimeUnit.SECONDS))
				.isEqualTo((long) WatchWarmup.STREAMS * WatchWarmup.CHANGES);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("Watch path warmed up in the background"));

			assertThat(output.getOut()).contains("15000 of 15000 changes delivered on 50 private loopback streams")
				.doesNotContain("beacon-warmup");
			assertThat(this.registry.services()).isEmpty();
			assertThat(this.registry.index()).isEqualTo(index);
			assertThat(this.meters.get("beacon.registry.watch.events.sent").counter().count()).isZero();
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "beacon.registry.watch.warm-up=false")
	class Off {

		@Autowired
		ApplicationContext context;

		@Test
		void isNotThereWhenTurnedOff() {
			assertThat(this.context.getBeansOfType(WatchWarmup.class)).isEmpty();
		}

	}

}
