package io.beacon.bench.watch;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.beacon.bench.cli.Args;
import io.beacon.bench.cli.HoldFile;
import io.beacon.bench.http.RegistryClient;
import io.beacon.bench.http.WatchStreams;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Watch-stream fan-out latency of a Beacon registry: how long a change takes to reach every open
 * watch stream.
 * <p>
 * Registers one instance in a service of its own, opens {@code --streams} watch streams on it
 * (waiting for each one's snapshot, at most 50 opening at a time; with {@code --watch-bases URL,URL}
 * spread in turn over those registry replicas, while the changes go to {@code --base}), then flips the instance's status
 * between DRAINING and UP {@code --changes} times, {@code --rate} times a second, each change after
 * the previous one was answered ({@code --warmup N} makes N more changes first and leaves them out of
 * the figures). For every change and stream it records the delay from just before the change request
 * was sent to the moment the stream delivered the complete event, and prints p50/p99/max over all
 * deliveries and over the last delivery of each change ({@link DeliveryLog}), and with several watch
 * bases the same per base. Then it deregisters the
 * instance and closes the streams.
 * <p>
 * With {@code --hold-file PATH} it only opens the streams, prints {@code streams_open=N} and keeps them
 * open until PATH exists (at most {@code --hold-max-seconds}): the memory benchmark measures the
 * server's heap meanwhile.
 * <p>
 * Bounded: loopback only, at most 5,000 streams and 10,000 changes at no more than 100 a second, every
 * wait with a deadline.
 */
public final class WatchLatency {

	private static final String USAGE = "java -cp bench-tools.jar io.beacon.bench.watch.WatchLatency [--base URL]"
			+ " [--watch-bases URL,URL] [--streams N] [--changes N] [--warmup N] [--rate PER_S] [--service NAME] [--details FILE]"
			+ " [--hold-file PATH] [--hold-max-seconds S]";

	private static final Set<String> OPTIONS = Set.of("base", "watch-bases", "streams", "changes", "warmup", "rate", "service",
			"details", "hold-file", "hold-max-seconds");

	private final URI base;

	private final List<URI> watchBases;

	private final String service;

	private final int streams;

	private final int changes;

	private final int warmup;

	private final double rate;

	private final DeliveryLog log;

	private final AtomicInteger failedStreams = new AtomicInteger();

	private WatchLatency(URI base, List<URI> watchBases, String service, int streams, int changes, int warmup,
			double rate) {
		this.base = base;
		this.watchBases = watchBases;
		this.service = service;
		this.streams = streams;
		this.changes = changes;
		this.warmup = warmup;
		this.rate = rate;
		this.log = new DeliveryLog(warmup, changes, streams, watchBases.size());
	}

	public static void main(String[] arguments) throws Exception {
		Args args = Args.parse(arguments, USAGE, OPTIONS);
		URI base = args.loopbackBase("base", "http://127.0.0.1:8700");
		WatchLatency tool = new WatchLatency(base, args.loopbackBases("watch-bases", base.toString()),
				args.text("service", "watch-latency"), args.integer("streams", 1000, 1, 5000),
				args.integer("changes", 100, 1, 10_000), args.integer("warmup", 0, 0, 10_000),
				args.decimal("rate", 5, 0, 100));
		String details = args.optional("details");
		String hold = args.optional("hold-file");
		int holdMax = args.integer("hold-max-seconds", 300, 1, 3600);
		boolean ok = tool.run((hold != null) ? Path.of(hold) : null, holdMax, (details != null) ? Path.of(details) : null);
		System.exit(ok ? 0 : 1);
	}

	private boolean run(Path holdFile, int holdMaxSeconds, Path details) throws Exception {
		String instanceId = "wl-" + ProcessHandle.current().pid();
		String instancePath = "/v1/services/" + this.service + "/instances/" + instanceId;
		try (RegistryClient registry = new RegistryClient(this.base, "watch-latency-calls", 1);
				WatchStreams watches = new WatchStreams(this.watchBases)) {
			RegistryClient.Reply registered = registry.send(HttpMethod.POST, "/v1/services/" + this.service + "/instances",
					"{\"instanceId\":\"" + instanceId + "\",\"host\":\"127.0.0.1\",\"port\":9999,\"leaseTtlSeconds\":3600}");
			if (!registered.ok()) {
				System.err.println("registration answered " + registered.status() + ": " + registered.body());
				return false;
			}
			try {
				if (!openStreams(watches)) {
					return false;
				}
				System.out.println("streams_open=" + (this.streams - this.failedStreams.get()));
				if (holdFile != null) {
					HoldFile.await(holdFile, holdMaxSeconds);
					return true;
				}
				if (!makeChanges(registry, instancePath)) {
					return false;
				}
				System.out.printf(Locale.ROOT, "watch_streams=%d%nwatch_changes=%d%nwatch_warmup_changes=%d%n"
						+ "watch_rate_per_s=%s%n", this.streams, this.changes, this.warmup, this.rate);
				this.log.report(System.out, details, this.failedStreams.get());
				return true;
			}
			finally {
				RegistryClient.Reply gone = registry.send(HttpMethod.DELETE, instancePath, null);
				if (!gone.ok()) {
					System.err.println("could not deregister " + instanceId + ": " + gone.status());
				}
			}
		}
	}

	/** Opens the streams, at most 50 waiting for their snapshot at a time; false if they stall. */
	private boolean openStreams(WatchStreams watches) throws InterruptedException {
		CountDownLatch snapshots = new CountDownLatch(this.streams);
		Semaphore opening = new Semaphore(50);
		long start = System.nanoTime();
		for (int i = 0; i < this.streams; i++) {
			if (!opening.tryAcquire(30, TimeUnit.SECONDS)) {
				System.err.println("opening streams stalled after " + i);
				return false;
			}
			WatchedStream stream = new WatchedStream(i, this.log, snapshots, opening, this.failedStreams);
			watches.open(this.service, stream, stream::ended);
		}
		if (!snapshots.await(60, TimeUnit.SECONDS)) {
			System.err.println("only " + (this.streams - snapshots.getCount()) + " of " + this.streams
					+ " streams got a snapshot");
			return false;
		}
		System.out.printf(Locale.ROOT, "streams_open_ms=%d%nwatch_bases=%s%n", (System.nanoTime() - start) / 1_000_000,
				this.watchBases.stream().map(URI::toString).collect(Collectors.joining(",")));
		return true;
	}

	/** The status flips at the set rate, then waits (at most 10 s) for the last one to reach every stream. */
	private boolean makeChanges(RegistryClient registry, String instancePath) throws InterruptedException {
		long intervalNanos = (long) (1e9 / this.rate);
		long next = System.nanoTime();
		for (int i = 0; i < this.log.changes(); i++) {
			long now = System.nanoTime();
			if (next > now) {
				TimeUnit.NANOSECONDS.sleep(next - now);
			}
			next += intervalNanos;
			String status = (i % 2 == 0) ? "DRAINING" : "UP";
			this.log.sent(i, System.nanoTime());
			RegistryClient.Reply reply = registry.send(HttpMethod.PUT, instancePath + "/status",
					"{\"status\":\"" + status + "\"}");
			if (reply.status() != 200) {
				System.err.println("status change answered " + reply.status() + ": " + reply.body());
				return false;
			}
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long expected = (long) this.log.changes() * (this.streams - this.failedStreams.get());
		while (this.log.delivered() < expected && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		return true;
	}

}
