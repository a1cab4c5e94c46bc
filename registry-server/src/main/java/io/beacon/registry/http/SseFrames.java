package io.beacon.registry.http;

import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framing: events with an id, a name and one line of JSON data, and comments.
 */
public final class SseFrames {

	private static final byte[] KEEP_ALIVE = comment("keep-alive");

	private SseFrames() {
	}

	/**
	 * An event frame. {@code json} must be one line, which JSON from Jackson is (newlines inside
	 * strings are escaped), so one data field is enough.
	 */
	public static byte[] event(long id, String name, byte[] json) {
		return frame("id: " + id + "\nevent: " + name + "\ndata: ", json);
	}

	/** An event frame without an id (an event a client never resumes from); {@code json} is one line. */
	public static byte[] event(String name, byte[] json) {
		return frame("event: " + name + "\ndata: ", json);
	}

	private static byte[] frame(String headText, byte[] json) {
		byte[] head = headText.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[head.length + json.length + 2];
		System.arraycopy(head, 0, frame, 0, head.length);
		System.arraycopy(json, 0, frame, head.length, json.length);
		frame[frame.length - 2] = '\n';
		frame[frame.length - 1] = '\n';
		return frame;
	}

	/** A comment frame, which clients ignore; {@code text} must be one line. */
	public static byte[] comment(String text) {
		return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
	}

	/** The comment that keeps an idle stream's connection open. */
	public static byte[] keepAlive() {
		return KEEP_ALIVE;
	}

}
