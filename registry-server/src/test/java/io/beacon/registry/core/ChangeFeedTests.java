package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeFeedTests {

	private static final int ROUNDS = 30_000;

	/**
	 * Each round the only watcher of a service leaves while a new one joins; the new one must then
	 * get the next change. A watcher added to a set the leaving one had just emptied (and dropped
	 * from the feed) would get its start and keep-alives but never a change.
	 */
	@Test
	void watcherJoiningAsTheLastOneLeavesStillGetsChanges() throws Exception {
		ChangeFeed feed = new ChangeFeed();
		Set<String> services = Set.of("svc");
		AtomicReference<ChangeFeed.Subscriber> leaving = new AtomicReference<>();
		AtomicReference<ChangeFeed.Subscriber> joining = new AtomicReference<>();
		AtomicInteger received = new AtomicInteger();
		WatchListener counting = new WatchListener() {
			@Override
			public void onStart(WatchStart start) {
			}

			@Override
			public void onChange(ChangeEvent event) {
				received.incrementAndGet();
			}
		};
		// Two threads meet at the phaser each round: one unsubscribes, one subscribes.
		Phaser rounds = new Phaser(3);
		Thread leaver = new Thread(() -> {
			for (int i = 0; i < ROUNDS; i++) {
				rounds.arriveAndAwaitAdvance();
				feed.unsubscribe(leaving.get());
				rounds.arriveAndAwaitAdvance();
			}
		});
		Thread joiner = new Thread(() -> {
			for (int i = 0; i < ROUNDS; i++) {
				rounds.arriveAndAwaitAdvance();
				joining.set(feed.subscribe(services, 0, counting));
				rounds.arriveAndAwaitAdvance();
			}
		});
		leaver.start();
		joiner.start();
		int missed = 0;
		for (int i = 1; i <= ROUNDS; i++) {
			leaving.set(feed.subscribe(services, 0, WatchListenerNoOp.INSTANCE));
			rounds.arriveAndAwaitAdvance();
			rounds.arriveAndAwaitAdvance();
			int before = received.get();
			feed.enqueue(change(i));
			feed.drain();
			if (received.get() != before + 1) {
				missed++;
			}
			feed.unsubscribe(joining.get());
		}
		leaver.join(30_000);
		joiner.join(30_000);
		assertThat(missed).as("rounds in which the joining watcher missed the change").isZero();
		assertThat(feed.openWatches()).isZero();
	}

	private static ChangeEvent change(long index) {
		Instance instance = new Instance("i", "svc", "h", 80, false, InstanceStatus.UP, null, Map.of(),
				Duration.ofSeconds(15), Instant.EPOCH, Instant.EPOCH);
		return new ChangeEvent(index, ChangeCause.STATUS_CHANGED, instance);
	}

	private enum WatchListenerNoOp implements WatchListener {

		INSTANCE;

		@Override
		public void onStart(WatchStart start) {
		}

		@Override
		public void onChange(ChangeEvent event) {
		}

	}

}
