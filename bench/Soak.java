import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak test of a running registry: N simulated instances registered and heartbeating at their
 * lease's pace, W watch streams open, for a bounded time. Every minute it checks that no instance was
 * lost (all still UP) and records the registry's heap after a full GC (through jcmd on the given
 * pid), then prints a table and the heap trend (least-squares slope in KB per minute).
 * Loopback only; bounded in count and time.
 * <pre>
 * java bench/Soak.java &lt;registry-port&gt; &lt;registry-pid&gt; [instances=10000] [watchers=1000] [minutes=10]
 * </pre>
 */
public class Soak {

	private static final int LEASE_SECONDS = 15;

	private static final int HEARTBEAT_MILLIS = LEASE_SECONDS * 1000 / 3;

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		long pid = Long.parseLong(args[1]);
		int instances = (args.length > 2) ? Integer.parseInt(args[2]) : 10_000;
		int watchers = (args.length > 3) ? Integer.parseInt(args[3]) : 1_000;
		int minutes = (args.length > 4) ? Integer.parseInt(args[4]) : 10;
		String base = "http://127.0.0.1:" + port;
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		Semaphore inFlight = new Semaphore(256);
		AtomicLong heartbeats = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		AtomicLong events = new AtomicLong();

		System.out.printf("soak: %d instances (lease %d s, heartbeat every %d ms), %d watch streams, %d min%n",
				instances, LEASE_SECONDS, HEARTBEAT_MILLIS, watchers, minutes);
		for (int i = 0; i < instances; i++) {
			String body = String.format(Locale.ROOT,
					"{\"instanceId\":\"soak-%05d\",\"host\":\"127.0.0.1\",\"port\":%d,\"leaseTtlSeconds\":%d,"
							+ "\"metadata\":{\"zone\":\"z%d\",\"version\":\"1.0.%d\"}}",
					i, 20_000 + (i % 40_000), LEASE_SECONDS, i % 3, i % 10);
			send(http, inFlight, failures, HttpRequest.newBuilder(URI.create(base + "/v1/services/" + service(i)
					+ "/instances"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), null);
		}
		inFlight.acquire(256);
		inFlight.release(256);
		System.out.printf("registered %d (failures %d)%n", instances, failures.get());

		ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
		// every instance heartbeats once per interval, spread evenly over it
		long perTickNanos = TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS) / instances;
		AtomicLong next = new AtomicLong();
		beats.scheduleAtFixedRate(() -> {
			int i = (int) (next.getAndIncrement() % instances);
			send(http, inFlight, failures, HttpRequest.newBuilder(URI.create(base + "/v1/services/" + service(i)
					+ "/instances/soak-" + String.format("%05d", i) + "/heartbeat"))
				.PUT(HttpRequest.BodyPublishers.noBody())
				.build(), heartbeats);
		}, 0, Math.max(1, perTickNanos), TimeUnit.NANOSECONDS);

		List<CompletableFuture<?>> streams = new ArrayList<>();
		for (int w = 0; w < watchers; w++) {
			HttpRequest watch = HttpRequest.newBuilder(URI.create(base + "/v1/watch?service=" + service(w * 7)))
				.header("Accept", "text/event-stream")
				.build();
			streams.add(http.sendAsync(watch, HttpResponse.BodyHandlers.ofLines())
				.thenAccept((response) -> response.body().forEach((line) -> {
					if (line.startsWith("event:")) {
						events.incrementAndGet();
					}
				})));
		}

		List<double[]> samples = new ArrayList<>();
		System.out.println("minute  heartbeats  failures  up-instances  watch-events  heap-after-GC-KB");
		long start = System.nanoTime();
		for (int minute = 1; minute <= minutes; minute++) {
			Thread.sleep(Math.max(0, start + TimeUnit.MINUTES.toNanos(minute) - System.nanoTime()) / 1_000_000);
			int up = upInstances(http, base);
			long heapKb = heapAfterGcKb(pid);
			samples.add(new double[] { minute, heapKb });
			System.out.printf("%6d  %10d  %8d  %12d  %12d  %16d%n", minute, heartbeats.get(), failures.get(), up,
					events.get(), heapKb);
		}
		beats.shutdownNow();
		streams.forEach((stream) -> stream.cancel(true));
		double slope = slope(samples);
		System.out.printf("heap trend: %.1f KB per minute (least squares over %d samples)%n", slope, samples.size());
		String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		System.out.printf("result: instances=%d up_at_end=%d heartbeat_failures=%d lapses=%s evictions=%s "
				+ "heap_slope_kb_per_min=%.1f%n", instances, upInstances(http, base), failures.get(),
				counter(metrics, "beacon_registry_lapses_total"), counter(metrics, "beacon_registry_evictions_total"),
				slope);
		System.exit(0);
	}

	private static String counter(String metrics, String name) {
		Matcher m = Pattern.compile("^" + name + "\\{[^}]*\\} (\\S+)", Pattern.MULTILINE).matcher(metrics);
		return m.find() ? m.group(1) : "?";
	}

	private static String service(int i) {
		return String.format("soak-svc-%03d", i % 100);
	}

	private static void send(HttpClient http, Semaphore inFlight, AtomicLong failures, HttpRequest request,
			AtomicLong ok) {
		try {
			inFlight.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
			inFlight.release();
			if (error != null || response.statusCode() >= 300) {
				failures.incrementAndGet();
			}
			else if (ok != null) {
				ok.incrementAndGet();
			}
		});
	}

	private static int upInstances(HttpClient http, String base) throws IOException, InterruptedException {
		String body = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/services")).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
		int up = 0;
		Matcher m = Pattern.compile("\"UP\":(\\d+)").matcher(body);
		while (m.find()) {
			up += Integer.parseInt(m.group(1));
		}
		return up;
	}

	/** Full GC through jcmd, then the used heap. */
	private static long heapAfterGcKb(long pid) throws IOException, InterruptedException {
		run("jcmd", Long.toString(pid), "GC.run");
		String info = run("jcmd", Long.toString(pid), "GC.heap_info");
		Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
		long used = 0;
		if (m.find()) {
			used = Long.parseLong(m.group(1));
		}
		return used;
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(60, TimeUnit.SECONDS);
		return out;
	}

	private static double slope(List<double[]> points) {
		double n = points.size();
		double sx = 0;
		double sy = 0;
		double sxy = 0;
		double sxx = 0;
		for (double[] p : points) {
			sx += p[0];
			sy += p[1];
			sxy += p[0] * p[1];
			sxx += p[0] * p[0];
		}
		double denominator = n * sxx - sx * sx;
		return (denominator == 0) ? 0 : (n * sxy - sx * sy) / denominator;
	}

}
