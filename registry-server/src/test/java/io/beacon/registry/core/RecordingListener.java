package io.beacon.registry.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a watch delivered, for tests to poll. */
public final class RecordingListener implements WatchListener {

	public final List<WatchStart> starts = new CopyOnWriteArrayList<>();

	public final List<ChangeEvent> changes = new CopyOnWriteArrayList<>();

	@Override
	public void onStart(WatchStart start) {
		this.starts.add(start);
	}

	@Override
	public void onChange(ChangeEvent event) {
		this.changes.add(event);
	}

	public List<ChangeCause> causes() {
		return this.changes.stream().map(ChangeEvent::cause).toList();
	}

}
