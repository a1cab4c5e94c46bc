package io.beacon.bench.http;

import io.netty.buffer.ByteBuf;

/**
 * Finds the end of each Server-Sent Event in a stream's bytes and tells which kind it was, from the
 * start of its {@code event:} line only. It works on the bytes as they arrive and builds no strings:
 * with a thousand streams in one client, decoding every line was what made the client, not the
 * server, the slow side.
 */
public final class SseEventScanner {

	private static final byte[] SNAPSHOT = ascii("event: snapshot");

	private static final byte[] UPDATED = ascii("event: updated");

	private static final byte[] EVENT = ascii("event:");

	/** The kind of an event that ended. */
	public enum Kind {

		/** the first state of the watched services */
		SNAPSHOT,
		/** a change */
		UPDATED,
		/** any other named event */
		OTHER,
		/** a comment or data without a name (keep-alives) */
		UNNAMED

	}

	/** Told of every event as it ends, with the {@link System#nanoTime()} at which its last byte was read. */
	@FunctionalInterface
	public interface Listener {

		void eventEnded(Kind kind, long nanoTime);

	}

	private final Listener listener;

	/** The first bytes of the current line. */
	private final byte[] line = new byte[SNAPSHOT.length];

	private int lineLength;

	private Kind kind = Kind.UNNAMED;

	public SseEventScanner(Listener listener) {
		this.listener = listener;
	}

	/** Takes the readable bytes of {@code buffer} (without moving its reader index). */
	public void accept(ByteBuf buffer) {
		for (int i = buffer.readerIndex(), end = buffer.writerIndex(); i < end; i++) {
			accept(buffer.getByte(i));
		}
	}

	private void accept(byte b) {
		if (b == '\r') {
			return;
		}
		if (b != '\n') {
			if (this.lineLength < this.line.length) {
				this.line[this.lineLength] = b;
			}
			this.lineLength++;
		}
		else if (this.lineLength == 0) {
			this.listener.eventEnded(this.kind, System.nanoTime());
			this.kind = Kind.UNNAMED;
		}
		else {
			lineEnded();
		}
	}

	private void lineEnded() {
		if (startsWith(SNAPSHOT)) {
			this.kind = Kind.SNAPSHOT;
		}
		else if (startsWith(UPDATED)) {
			this.kind = Kind.UPDATED;
		}
		else if (startsWith(EVENT)) {
			this.kind = Kind.OTHER;
		}
		this.lineLength = 0;
	}

	private boolean startsWith(byte[] prefix) {
		if (this.lineLength < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (this.line[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
	}

}
