package io.beacon.bench.lease;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.bench.cli.Args;
import io.beacon.bench.cli.HoldFile;
import io.beacon.bench.http.SseEventScanner;
import io.beacon.bench.http.WatchStreams;

/**
 * Holds one lease stream ({@code GET /v1/services/{service}/instances/{id}/lease}) open for each
 * instance named in {@code --instances-file} (lines {@code service instanceId}, registered before),
 * for the memory benchmark: it opens them (at most 50 waiting for their first event, {@code bound},
 * at a time), prints {@code streams_open=N}, keeps them open until {@code --hold-file} exists (at
 * most {@code --hold-max-seconds}), prints {@code streams_ended_while_held=N} (streams the registry
 * closed meanwhile: the measurement would not be of N open streams) and closes them.
 * <p>
 * Bounded: loopback only, at most 20,000 streams, every wait with a deadline.
 */
public final class LeaseStreamHolder {

	private static final String USAGE = "java -cp bench-tools.jar io.beacon.bench.lease.LeaseStreamHolder"
			+ " --instances-file FILE --hold-file PATH [--base URL] [--hold-max-seconds S]";

	private static final Set<String> OPTIONS = Set.of("base", "instances-file", "hold-file", "hold-max-seconds");

	private static final int MAX_STREAMS = 20_000;

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger endedWhileHeld = new AtomicInteger();

	private LeaseStreamHolder() {
	}

	public static void main(String[] arguments) throws Exception {
		Args args = Args.parse(arguments, USAGE, OPTIONS);
		URI base = args.loopbackBase("base", "http://127.0.0.1:8700");
		String instancesFile = args.optional("instances-file");
		String holdFile = args.optional("hold-file");
		if (instancesFile == null || holdFile == null) {
			args.fail("--instances-file and --hold-file are required");
		}
		List<String[]> instances = readInstances(Path.of(instancesFile), args);
		int holdMax = args.integer("hold-max-seconds", 300, 1, 3600);
		boolean ok = new LeaseStreamHolder().run(base, instances, Path.of(holdFile), holdMax);
		System.exit(ok ? 0 : 1);
	}

	private static List<String[]> readInstances(Path file, Args args) throws IOException {
		List<String[]> instances = Files.readAllLines(file)
			.stream()
			.filter((line) -> !line.isBlank())
			.map((line) -> line.strip().split("\\s+"))
			.toList();
		if (instances.isEmpty() || instances.size() > MAX_STREAMS) {
			args.fail("--instances-file must name 1-" + MAX_STREAMS + " instances, got " + instances.size());
		}
		for (String[] instance : instances) {
			if (instance.length != 2) {
				args.fail("--instances-file lines must be 'service instanceId', got '" + String.join(" ", instance) + "'");
			}
		}
		return instances;
	}

	private boolean run(URI base, List<String[]> instances, Path holdFile, int holdMaxSeconds)
			throws InterruptedException {
		try (WatchStreams streams = new WatchStreams(base)) {
			CountDownLatch bound = new CountDownLatch(instances.size());
			Semaphore opening = new Semaphore(50);
			long start = System.nanoTime();
			for (String[] instance : instances) {
				if (!opening.tryAcquire(30, TimeUnit.SECONDS)) {
					System.err.println("opening lease streams stalled after " + (instances.size() - bound.getCount()));
					return false;
				}
				HeldStream stream = new HeldStream(bound, opening);
				streams.openPath("/v1/services/" + instance[0] + "/instances/" + instance[1] + "/lease", stream,
						stream::ended);
			}
			if (!bound.await(120, TimeUnit.SECONDS)) {
				System.err.println("only " + (instances.size() - bound.getCount()) + " of " + instances.size()
						+ " lease streams were bound");
				return false;
			}
			System.out.printf(Locale.ROOT, "streams_open_ms=%d%n", (System.nanoTime() - start) / 1_000_000);
			System.out.println("streams_open=" + (instances.size() - this.failed.get()));
			HoldFile.await(holdFile, holdMaxSeconds);
			System.out.println("streams_ended_while_held=" + this.endedWhileHeld.get());
			return this.failed.get() == 0;
		}
	}

	/** One lease stream: its first named event ({@code bound}) opens it. Called on the streams' event loop. */
	private final class HeldStream implements SseEventScanner.Listener {

		private final CountDownLatch bound;

		private final Semaphore opening;

		private boolean opened;

		HeldStream(CountDownLatch bound, Semaphore opening) {
			this.bound = bound;
			this.opening = opening;
		}

		@Override
		public void eventEnded(SseEventScanner.Kind kind, long nanoTime) {
			if (!this.opened && kind != SseEventScanner.Kind.UNNAMED) {
				opened();
			}
		}

		void ended(Throwable error) {
			if (this.opened) {
				LeaseStreamHolder.this.endedWhileHeld.incrementAndGet();
				return;
			}
			LeaseStreamHolder.this.failed.incrementAndGet();
			if (error != null && LeaseStreamHolder.this.failed.get() <= 10) {
				System.err.println("lease stream failed: " + error);
			}
			opened();
		}

		private void opened() {
			this.opened = true;
			this.bound.countDown();
			this.opening.release();
		}

	}

}
