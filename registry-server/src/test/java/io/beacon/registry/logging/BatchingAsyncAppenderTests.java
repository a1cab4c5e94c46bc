package io.beacon.registry.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchingAsyncAppenderTests {

	private final LoggerContext context = new LoggerContext();

	BatchingAsyncAppenderTests() {
		this.context.setMDCAdapter(new LogbackMDCAdapter());
	}

	private final Logger logger = this.context.getLogger("test");

	private final List<String> written = Collections.synchronizedList(new ArrayList<>());

	private final List<String> threads = Collections.synchronizedList(new ArrayList<>());

	@Test
	void writesEveryEventInOrderOnItsOwnThreadAndTheRestWhenStopped() {
		BatchingAsyncAppender appender = appender(16, 50);
		for (int i = 0; i < 1000; i++) {
			appender.doAppend(event("line " + i));
		}
		appender.stop();
		assertThat(this.written).hasSize(1000);
		for (int i = 0; i < 1000; i++) {
			assertThat(this.written.get(i)).isEqualTo("line " + i);
		}
		assertThat(this.threads).containsOnly("beacon-log-writer");
	}

	@Test
	void fixesTheMessageAndThreadNameWhenTheEventIsLogged() {
		BatchingAsyncAppender appender = appender(16, 10);
		LoggingEvent event = event("registered {}", "a");
		appender.doAppend(event);
		appender.stop();
		assertThat(this.written).containsExactly("registered a");
		assertThat(event.getThreadName()).isEqualTo(Thread.currentThread().getName());
	}

	@Test
	void doesNotStartWithoutAnAppenderToWriteTo() {
		BatchingAsyncAppender appender = new BatchingAsyncAppender();
		appender.setContext(this.context);
		appender.start();
		assertThat(appender.isStarted()).isFalse();
	}

	private BatchingAsyncAppender appender(int queueSize, int lingerMillis) {
		AppenderBase<ILoggingEvent> target = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
				BatchingAsyncAppenderTests.this.written.add(event.getFormattedMessage());
				BatchingAsyncAppenderTests.this.threads.add(Thread.currentThread().getName());
			}
		};
		target.setContext(this.context);
		target.start();
		BatchingAsyncAppender appender = new BatchingAsyncAppender();
		appender.setContext(this.context);
		appender.setQueueSize(queueSize);
		appender.setLingerMillis(lingerMillis);
		appender.addAppender(target);
		appender.start();
		assertThat(appender.isStarted()).isTrue();
		return appender;
	}

	private LoggingEvent event(String message, Object... arguments) {
		return new LoggingEvent("fqcn", this.logger, Level.INFO, message, null, arguments);
	}

}
