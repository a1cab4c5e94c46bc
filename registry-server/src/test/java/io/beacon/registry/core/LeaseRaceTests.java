package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseRaceTests {

	private static final int INSTANCES = 2_000;

	private static final int ROUNDS = 10;

	/**
	 * Heartbeats race the sweep that evicts their instances. A heartbeat the registry accepts (no
	 * exception: the API's 204) must leave its instance registered; one that comes too late must be
	 * refused (the API's 404, on which the client registers again). Accepting a heartbeat and then
	 * evicting its instance would leave the client believing it is registered until its next beat.
	 */
	@Test
	void aHeartbeatThatRacesEvictionIsEitherRefusedOrKeepsItsInstance() throws Exception {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		int acceptedThenEvicted = 0;
		for (int round = 0; round < ROUNDS; round++) {
			Registry registry = RegistryTests.registry(clock);
			String service = "race" + round;
			for (int i = 0; i < INSTANCES; i++) {
				registry.register(RegistryTests.registration(service, "i" + i, 1));
			}
			// Every lease is now due for eviction at the next sweep.
			clock.advance(Duration.ofSeconds(3));
			List<String> accepted = new ArrayList<>();
			CountDownLatch go = new CountDownLatch(1);
			Thread beats = new Thread(() -> {
				await(go);
				for (int i = INSTANCES - 1; i >= 0; i--) {
					try {
						registry.heartbeat(service, "i" + i);
						accepted.add("i" + i);
					}
					catch (InstanceNotFoundException ex) {
						// refused: the client registers again
					}
				}
			});
			beats.start();
			go.countDown();
			registry.expireLeases();
			beats.join(30_000);
			registry.expireLeases();
			for (String id : accepted) {
				if (registry.instance(service, id).isEmpty()) {
					acceptedThenEvicted++;
				}
			}
		}
		assertThat(acceptedThenEvicted).as("heartbeats answered as accepted for instances then evicted").isZero();
	}

	/**
	 * A heartbeat for a lapsed instance waits for the registry lock to revive it; if the instance is
	 * removed meanwhile, the heartbeat must be refused, not answered as accepted. The lock is held
	 * here by a watch whose start (delivered under the lock) removes the instance once the
	 * heartbeat is waiting.
	 */
	@Test
	void aHeartbeatWaitingToReviveAnInstanceRemovedMeanwhileIsRefused() throws Exception {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		Registry registry = RegistryTests.registry(clock);
		registry.register(RegistryTests.registration("payment", "p1", 1));
		clock.advance(Duration.ofSeconds(1));
		registry.expireLeases();
		assertThat(registry.instance("payment", "p1")).get().extracting(Instance::status).isEqualTo(InstanceStatus.DOWN);
		CountDownLatch locked = new CountDownLatch(1);
		CountDownLatch heartbeatWaiting = new CountDownLatch(1);
		Thread watcher = new Thread(() -> registry.watch(Set.of(), OptionalLong.empty(), new WatchListener() {
			@Override
			public void onStart(WatchStart start) {
				locked.countDown();
				await(heartbeatWaiting);
				registry.deregister("payment", "p1");
			}

			@Override
			public void onChange(ChangeEvent event) {
			}
		}));
		watcher.start();
		await(locked);
		AtomicReference<Throwable> outcome = new AtomicReference<>();
		Thread heartbeat = new Thread(() -> {
			try {
				registry.heartbeat("payment", "p1");
				outcome.set(new AssertionError("heartbeat accepted"));
			}
			catch (RuntimeException ex) {
				outcome.set(ex);
			}
		});
		heartbeat.start();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> heartbeat.getState() == Thread.State.WAITING);
		heartbeatWaiting.countDown();
		heartbeat.join(30_000);
		watcher.join(30_000);
		assertThat(outcome.get()).isInstanceOf(InstanceNotFoundException.class);
		assertThat(registry.instance("payment", "p1")).isEmpty();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
