package io.beacon.registry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

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

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
