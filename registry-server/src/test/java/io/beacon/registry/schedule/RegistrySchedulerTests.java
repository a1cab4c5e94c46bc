package io.beacon.registry.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RegistrySchedulerTests {

	@Test
	void runsEveryTaskRepeatedlyOnOneThreadUntilStopped() {
		AtomicInteger sweeps = new AtomicInteger();
		AtomicInteger refreshes = new AtomicInteger();
		Set<Thread> threads = ConcurrentHashMap.newKeySet();
		RegistryScheduler scheduler = new RegistryScheduler(List.of(
				new PeriodicTask("sweep", Duration.ofMillis(5), () -> {
					threads.add(Thread.currentThread());
					sweeps.incrementAndGet();
				}), new PeriodicTask("refresh", Duration.ofMillis(7), () -> {
					threads.add(Thread.currentThread());
					refreshes.incrementAndGet();
				})));
		assertThat(scheduler.isRunning()).isFalse();
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> sweeps.get() >= 3 && refreshes.get() >= 3);
		}
		finally {
			scheduler.stop();
		}
		assertThat(scheduler.isRunning()).isFalse();
		assertThat(threads).hasSize(1);
		Thread thread = threads.iterator().next();
		assertThat(thread.getName()).startsWith("beacon-registry-scheduler-");
		await().atMost(Duration.ofSeconds(30)).until(() -> !thread.isAlive());
	}

	@Test
	void aTaskThatFailsKeepsRunning() {
		AtomicInteger runs = new AtomicInteger();
		RegistryScheduler scheduler = new RegistryScheduler(List.of(new PeriodicTask("failing", Duration.ofMillis(5), () -> {
			runs.incrementAndGet();
			throw new IllegalStateException("boom");
		})));
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= 3);
		}
		finally {
			scheduler.stop();
		}
	}


	@Test
	void runsAOneOffActionOnTheSchedulerThreadUnlessCancelledOrStopped() {
		RegistryScheduler scheduler = new RegistryScheduler(List.of());
		AtomicInteger runs = new AtomicInteger();
		assertThat(scheduler.runOnce(Duration.ofMillis(1), runs::incrementAndGet)).isNull();
		scheduler.start();
		Set<Thread> threads = ConcurrentHashMap.newKeySet();
		try {
			scheduler.runOnce(Duration.ofHours(1), runs::incrementAndGet).cancel(false);
			scheduler.runOnce(Duration.ofMillis(5), () -> {
				threads.add(Thread.currentThread());
				runs.incrementAndGet();
			});
			await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() == 1);
		}
		finally {
			scheduler.stop();
		}
		assertThat(threads).singleElement().satisfies((thread) -> assertThat(thread.getName())
			.startsWith("beacon-registry-scheduler-"));
		assertThat(scheduler.runOnce(Duration.ofMillis(1), runs::incrementAndGet)).isNull();
	}

}
