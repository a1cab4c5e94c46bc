package io.beacon.registry.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.beacon.registry.core.ChangeEvent;
import io.beacon.registry.core.WatchStart;
import io.beacon.registry.http.SseFrames;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns watch items into Server-Sent Events frames. A change goes to many watchers one after the
 * other (see the registry's change feed), so the last encoded change is kept and reused: each change
 * is serialized once however many streams carry it.
 */
final class WatchEvents {

	private final JsonMapper jsonMapper;

	private volatile Encoded last;

	WatchEvents(JsonMapper jsonMapper) {
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
		byte[] frame = SseFrames.event(event.index(), event.type().wireName(), this.jsonMapper.writeValueAsBytes(data));
		this.last = new Encoded(event, frame);
		return frame;
	}

	byte[] snapshot(WatchStart.Snapshot snapshot) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("index", snapshot.index());
		data.put("registryId", snapshot.registryId());
		data.put("services", snapshot.services());
		return SseFrames.event(snapshot.index(), "snapshot", this.jsonMapper.writeValueAsBytes(data));
	}

	byte[] resumed(long index) {
		return SseFrames.comment("resumed at index " + index);
	}

	private record Encoded(ChangeEvent event, byte[] frame) {
	}

}
