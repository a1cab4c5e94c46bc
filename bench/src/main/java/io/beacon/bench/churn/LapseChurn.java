package io.beacon.bench.churn;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.beacon.bench.cli.Args;
import io.beacon.bench.http.RegistryClient;
import io.netty.handler.codec.http.HttpMethod;

/**
 * A steady stream of short-lived instances: registers {@code --rate} new instances a second, each with
 * a one-second lease and never a heartbeat, for {@code --seconds}. Each one makes the registry log
 * three lines: its registration, its lapse (about a second later) and its eviction (three TTLs
 * after its last heartbeat). Meant to run beside a heartbeat load, so the registry logs while it
 * serves heartbeats. At most {@code --rate / 100} registrations are sent every 10 ms, at most 64 in flight.
 */
public final class LapseChurn {

	private static final String USAGE = "java -cp bench-tools.jar io.beacon.bench.churn.LapseChurn --base URL"
			+ " [--rate 200] [--seconds 60] [--service lapse-churn]";

	private LapseChurn() {
	}

	public static void main(String[] arguments) throws InterruptedException {
		Args args = Args.parse(arguments, USAGE, Set.of("base", "rate", "seconds", "service"));
		URI base = args.loopbackBase("base", "http://127.0.0.1:8700");
		int rate = args.integer("rate", 200, 100, 5_000);
		int seconds = args.integer("seconds", 60, 1, 3_600);
		String service = args.text("service", "lapse-churn");
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);
		long tick = TimeUnit.MILLISECONDS.toNanos(10);
		int perTick = rate / 100;
		long next = System.nanoTime();
		long end = next + TimeUnit.SECONDS.toNanos(seconds);
		long sent = 0;
		try (RegistryClient registry = new RegistryClient(base, "lapse-churn", 64)) {
			while (System.nanoTime() < end) {
				for (int i = 0; i < perTick; i++) {
					if (!inFlight.tryAcquire()) {
						failed.incrementAndGet();
						continue;
					}
					String body = String.format(Locale.ROOT,
							"{\"instanceId\":\"lapse-%09d\",\"host\":\"127.0.0.1\",\"port\":9,\"leaseTtlSeconds\":1}", sent++);
					registry.exchange(HttpMethod.POST, "/v1/services/" + service + "/instances", body)
						.doFinally((signal) -> inFlight.release())
						.subscribe((reply) -> (reply.ok() ? ok : failed).incrementAndGet(),
								(error) -> failed.incrementAndGet());
				}
				next += tick;
				TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
			}
			inFlight.tryAcquire(64, 15, TimeUnit.SECONDS);
		}
		System.out.printf(Locale.ROOT, "churn_registered=%d%nchurn_failed=%d%nchurn_rate_per_s=%d%n", ok.get(),
				failed.get(), rate);
	}

}
