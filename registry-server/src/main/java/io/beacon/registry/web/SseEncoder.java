package io.beacon.registry.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.WatchStart;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns watch items into Server-Sent Events frames. A change goes to many watchers one after the
 * other (see the registry's change feed), so the last encoded change is kept and reused: each change
 * is serialized once however many streams carry it.
 */
final class SseEncoder {

	private static final byte[] KEEP_ALIVE = ":keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

	private final JsonMapper jsonMapper;

	private volatile Encoded last;

	SseEncoder(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	byte[] change(ChangeEvent event) {
		Encoded cached = this.last;
		if (cached != null && cached.event == event) {
			return cached.frame;
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("type", event.type().wireName());
		data.put("cause", event.cause().wireName());
		data.put("index", event.index());
		data.put("service", event.service());
		data.put("instance", event.instance());
		byte[] frame = frame(event.index(), event.type().wireName(), data);
		this.last = new Encoded(event, frame);
		return frame;
	}

	byte[] snapshot(WatchStart.Snapshot snapshot) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("index", snapshot.index());
		data.put("registryId", snapshot.registryId());
		data.put("services", snapshot.services());
		return frame(snapshot.index(), "snapshot", data);
	}

	byte[] resumed(long index) {
		return (":resumed at index " + index + "\n\n").getBytes(StandardCharsets.UTF_8);
	}

	byte[] keepAlive() {
		return KEEP_ALIVE;
	}

	private byte[] frame(long id, String name, Object data) {
		// JSON from Jackson is one line: newlines inside strings are escaped, so one data field is enough.
		byte[] json = this.jsonMapper.writeValueAsBytes(data);
		byte[] head = ("id: " + id + "\nevent: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[head.length + json.length + 2];
		System.arraycopy(head, 0, frame, 0, head.length);
		System.arraycopy(json, 0, frame, head.length, json.length);
		frame[frame.length - 2] = '\n';
		frame[frame.length - 1] = '\n';
		return frame;
	}

	private record Encoded(ChangeEvent event, byte[] frame) {
	}

}
