package io.beacon.bench.soak;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.bench.cli.Args;
import io.beacon.bench.http.RegistryClient;
import io.beacon.bench.http.SseEventScanner;
import io.beacon.bench.http.WatchStreams;

/**
 * Soak test of a running registry: {@code --instances} simulated instances registered and
 * heartbeating at their lease's pace ({@link HeartbeatSender}: the first heartbeat one interval after
 * the instance's own registration, a 404 registers it again, as the starter does), {@code --watchers}
 * watch streams open, and some instances re-registered with new metadata every second ({@link Churn}),
 * for {@code --minutes}. Every minute it checks that no instance was lost (all still UP) and records
 * the registry's heap after a full GC ({@link RegistryProbe}, through jcmd on {@code --pid}), then
 * prints a table and the heap trend. Loopback only; bounded in count and time.
 */
public final class Soak {

	private static final String USAGE = "java -cp bench-tools.jar io.beacon.bench.soak.Soak --base URL --pid PID"
			+ " [--instances 10000] [--watchers 1000] [--minutes 10]";

	private static final int SENDERS = 8;

	/** Instances re-registered with new metadata per second, so changes flow through every stream. */
	private static final int CHURN_PER_SECOND = 20;

	public static void main(String[] arguments) throws Exception {
		Args args = Args.parse(arguments, USAGE, Set.of("base", "pid", "instances", "watchers", "minutes"));
		URI base = args.loopbackBase("base", "http://127.0.0.1:8700");
		long pid = args.integer("pid", 0, 1, Integer.MAX_VALUE);
		int instances = args.integer("instances", 10_000, 1, 100_000);
		int watchers = args.integer("watchers", 1_000, 0, 5_000);
		int minutes = args.integer("minutes", 10, 1, 120);
		Counters counters = new Counters();
		AtomicBoolean running = new AtomicBoolean(true);
		try (RegistryClient load = new RegistryClient(base, "soak-load", SENDERS + 1);
				RegistryClient probes = new RegistryClient(base, "soak-probe", 1);
				WatchStreams watches = new WatchStreams(base)) {
			System.out.printf("soak: %d instances (lease %d s, heartbeat every %d ms), %d watch streams, %d min%n",
					instances, SimulatedInstances.LEASE_SECONDS,
					TimeUnit.NANOSECONDS.toMillis(SimulatedInstances.HEARTBEAT_NANOS), watchers, minutes);
			List<Thread> threads = new ArrayList<>();
			for (int slot = 0; slot < SENDERS; slot++) {
				threads.add(start("soak-sender-" + slot,
						new HeartbeatSender(load, slot, SENDERS, instances, counters, running)));
			}
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (counters.registered.get() < instances && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			System.out.printf("registered %d (failures %d)%n", counters.registered.get(), counters.failures.get());
			for (int w = 0; w < watchers; w++) {
				watches.open(SimulatedInstances.service(w * 7), (kind, nanoTime) -> {
					if (kind != SseEventScanner.Kind.UNNAMED) {
						counters.watchEvents.incrementAndGet();
					}
				}, (error) -> {
					if (running.get()) {
						counters.failures.incrementAndGet();
					}
				});
			}
			threads.add(start("soak-churn", new Churn(load, instances, CHURN_PER_SECOND, counters, running)));
			RegistryProbe probe = new RegistryProbe(probes, pid);
			HeapTrend trend = sample(probe, counters, minutes);
			running.set(false);
			for (Thread thread : threads) {
				thread.join(10_000);
			}
			String metrics = probe.metrics();
			System.out.printf("heap trend: %.1f KB per minute (least squares over %d samples)%n", trend.slope(),
					trend.samples());
			System.out.printf("result: instances=%d up_at_end=%d heartbeats=%d heartbeat_failures=%d late_over_5s=%d "
					+ "reregistered=%d changes=%d watch_events=%d lapses=%s evictions=%s heap_slope_kb_per_min=%.1f%n",
					instances, probe.upInstances(), counters.heartbeats.get(), counters.failures.get(),
					counters.late.get(), counters.reregistered.get(), counters.changes.get(),
					counters.watchEvents.get(), RegistryProbe.sample(metrics, "beacon_registry_lapses_total"),
					RegistryProbe.sample(metrics, "beacon_registry_evictions_total"), trend.slope());
		}
		System.exit(0);
	}

	/** Samples once a minute and prints a row per sample. */
	private static HeapTrend sample(RegistryProbe probe, Counters counters, int minutes) throws Exception {
		HeapTrend trend = new HeapTrend();
		System.out.println("minute  heartbeats  late>5s  failures  re-registered  up-instances  lapses  changes"
				+ "  watch-events  heap-after-GC-KB");
		long start = System.nanoTime();
		for (int minute = 1; minute <= minutes; minute++) {
			Thread.sleep(Math.max(0, start + TimeUnit.MINUTES.toNanos(minute) - System.nanoTime()) / 1_000_000);
			int up = probe.upInstances();
			String lapses = RegistryProbe.sample(probe.metrics(), "beacon_registry_lapses_total");
			long heapKb = probe.heapAfterGcKb();
			trend.add(minute, heapKb);
			System.out.printf("%6d  %10d  %7d  %8d  %13d  %12d  %6s  %7d  %12d  %16d%n", minute,
					counters.heartbeats.get(), counters.late.get(), counters.failures.get(),
					counters.reregistered.get(), up, lapses, counters.changes.get(), counters.watchEvents.get(),
					heapKb);
		}
		return trend;
	}

	private static Thread start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.start();
		return thread;
	}

}
