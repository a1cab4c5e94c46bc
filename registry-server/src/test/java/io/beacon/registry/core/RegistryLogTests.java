package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry logs one line per registration, deregistration, lapse and removal, and none per
 * heartbeat.
 */
class RegistryLogTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final Registry registry = new Registry(this.clock, this.clock, 100);

	private final Logger logger = (Logger) LoggerFactory.getLogger(Registry.class);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	@BeforeEach
	void captureTheRegistrysLog() {
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	@AfterEach
	void stopCapturing() {
		this.logger.detachAppender(this.appender);
	}

	@Test
	void oneLinePerLifecycleEventAndNonePerHeartbeat() {
		this.registry.register(registration("p1"));
		for (int i = 0; i < 100; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			this.registry.heartbeat("payment", "p1");
		}
		assertThat(lines()).hasSize(1);

		this.clock.advance(Duration.ofSeconds(15));
		this.registry.expireLeases();
		this.clock.advance(Duration.ofSeconds(30));
		this.registry.expireLeases();
		this.registry.register(registration("p2"));
		this.registry.deregister("payment", "p2");

		List<String> lines = lines();
		assertThat(lines).hasSize(5);
		assertThat(lines.get(0)).startsWith("Registered payment/p1 at 127.0.0.1:8080");
		assertThat(lines.get(1)).startsWith("Lease of payment/p1 lapsed: no heartbeat for 15000 ms");
		assertThat(lines.get(2)).startsWith("Evicted payment/p1: no heartbeat for 45 s");
		assertThat(lines.get(3)).startsWith("Registered payment/p2");
		assertThat(lines.get(4)).isEqualTo("Deregistered payment/p2");
	}

	private List<String> lines() {
		return this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	private static InstanceRegistration registration(String id) {
		return InstanceRegistration.builder()
				.service("payment")
				.instanceId(id)
				.host("127.0.0.1")
				.port(8080)
				.leaseTtl(Duration.ofSeconds(15))
				.build();
	}

}
