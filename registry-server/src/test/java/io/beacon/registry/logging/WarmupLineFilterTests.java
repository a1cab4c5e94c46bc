package io.beacon.registry.logging;

import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmupLineFilterTests {

	private final LoggerContext context = new LoggerContext();

	private final WarmupLineFilter filter = new WarmupLineFilter();

	@Test
	void dropsLinesLoggedDuringTheWarmup() {
		assertThat(this.filter.decide(event(Map.of(WarmupLineFilter.MDC_KEY, "true")))).isEqualTo(FilterReply.DENY);
	}

	@Test
	void leavesEveryOtherLineToTheOtherFilters() {
		assertThat(this.filter.decide(event(Map.of()))).isEqualTo(FilterReply.NEUTRAL);
		assertThat(this.filter.decide(event(Map.of("traceId", "abc")))).isEqualTo(FilterReply.NEUTRAL);
	}

	private LoggingEvent event(Map<String, String> mdc) {
		LoggingEvent event = new LoggingEvent("test", this.context.getLogger("io.beacon.registry.core.Registry"),
				Level.INFO, "Registered x/y", null, null);
		event.setMDCPropertyMap(mdc);
		return event;
	}

}
