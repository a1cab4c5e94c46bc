package io.beacon.registry.api;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Counts one watch stream's frames for the {@link WatchWarmup} as its bytes arrive, without decoding
 * them: a frame ends with an empty line. The first frame is the snapshot (the stream is open); every
 * later one is a change (the warm-up ends long before the first keep-alive comment).
 */
final class FrameCounter implements ByteProcessor {

	private final AtomicLong delivered;

	private final AtomicInteger opened;

	private boolean newline;

	private boolean snapshot;

	FrameCounter(AtomicLong delivered, AtomicInteger opened) {
		this.delivered = delivered;
		this.opened = opened;
	}

	void accept(ByteBuf chunk) {
		chunk.forEachByte(this);
	}

	@Override
	public boolean process(byte value) {
		if (value != '\n') {
			this.newline = false;
		}
		else if (!this.newline) {
			this.newline = true;
		}
		else {
			this.newline = false;
			frame();
		}
		return true;
	}

	private void frame() {
		if (this.snapshot) {
			this.delivered.incrementAndGet();
		}
		else {
			this.snapshot = true;
			this.opened.incrementAndGet();
		}
	}

	/** A stream that failed before its snapshot counts as opened, so the warm-up goes on without it. */
	void failed() {
		if (!this.snapshot) {
			this.snapshot = true;
			this.opened.incrementAndGet();
		}
	}

}
