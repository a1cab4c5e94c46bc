package io.beacon.registry.api;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCounterTests {

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicInteger opened = new AtomicInteger();

	private final FrameCounter counter = new FrameCounter(this.delivered, this.opened);

	@Test
	void theFirstFrameOpensTheStreamAndEveryLaterOneIsAChangeWhereverTheChunksSplitThem() {
		feed("event: snapshot\ndata: {}\n");
		assertThat(this.opened).hasValue(0);
		feed("\nid: 2\nevent: updated\ndata: {\"a\":1}\n\nid: 3\nevent: upd");
		assertThat(this.opened).hasValue(1);
		assertThat(this.delivered).hasValue(1);
		feed("ated\ndata: {}\n");
		feed("\n");
		assertThat(this.delivered).hasValue(2);
		assertThat(this.opened).hasValue(1);
	}

	@Test
	void aStreamThatFailsBeforeItsSnapshotCountsAsOpenedOnce() {
		this.counter.failed();
		this.counter.failed();
		assertThat(this.opened).hasValue(1);
		feed("event: updated\ndata: {}\n\n");
		assertThat(this.delivered).hasValue(1);
	}

	private void feed(String text) {
		this.counter.accept(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
	}

}
