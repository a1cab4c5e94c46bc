package io.beacon.registry;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.beacon.registry.logging.WarmupLineFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogbackConfigurationTests {

	private final LoggerContext context = new LoggerContext();

	@AfterEach
	void stop() {
		this.context.stop();
	}

	@Test
	void consoleLinesGoThroughLogbacksAsyncAppenderWhichNeverDropsThem() throws Exception {
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(this.context);
		configurator.doConfigure(getClass().getResource("/logback-spring.xml"));

		Appender<ILoggingEvent> appender = this.context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC_CONSOLE");

		assertThat(appender).isInstanceOf(AsyncAppender.class);
		AsyncAppender async = (AsyncAppender) appender;
		assertThat(async.isStarted()).isTrue();
		assertThat(async.getDiscardingThreshold()).as("lines dropped when the queue fills").isZero();
		assertThat(async.isNeverBlock()).as("lines dropped when the queue is full").isFalse();
		assertThat(async.getQueueSize()).isEqualTo(8192);
		assertThat(async.getAppender("CONSOLE")).isNotNull();
		assertThat(async.getCopyOfAttachedFiltersList()).as("the watch warm-up's lines are dropped")
			.hasOnlyElementsOfType(WarmupLineFilter.class)
			.hasSize(1);
	}

}
