import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak test of a running registry: N simulated instances registered and heartbeating at their
 * lease's pace, W watch streams open, for a bounded time. Each instance's first heartbeat is due one
 * interval after its own registration and every interval after that, as a real client does; the
 * instances are shared among a few threads, each with one keep-alive connection, which send every
 * heartbeat when it is due (a 404 re-registers the instance, as the starter does). Meanwhile some
 * instances are re-registered with new metadata every second, so change events flow through the
 * streams and the registry's bounded change log wraps around many times. Every minute it checks that no instance was
 * lost (all still UP) and records the registry's heap after a full GC (through jcmd on the given
 * pid), then prints a table and the heap trend (least-squares slope in KB per minute).
 * Loopback only; bounded in count and time.
 * <pre>
 * java bench/Soak.java &lt;registry-port&gt; &lt;registry-pid&gt; [instances=10000] [watchers=1000] [minutes=10]
 * </pre>
 */
public class Soak {

	private static final int LEASE_SECONDS = 15;

	private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(LEASE_SECONDS) / 3;

	private static final int SENDERS = 8;

	/** Instances re-registered with new metadata per second, so changes flow through every stream. */
	private static final int CHURN_PER_SECOND = 20;

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		long pid = Long.parseLong(args[1]);
		int instances = (args.length > 2) ? Integer.parseInt(args[2]) : 10_000;
		int watchers = (args.length > 3) ? Integer.parseInt(args[3]) : 1_000;
		int minutes = (args.length > 4) ? Integer.parseInt(args[4]) : 10;
		String base = "http://127.0.0.1:" + port;
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		Counters counters = new Counters();
		AtomicBoolean running = new AtomicBoolean(true);

		System.out.printf("soak: %d instances (lease %d s, heartbeat every %d ms), %d watch streams, %d min%n",
				instances, LEASE_SECONDS, TimeUnit.NANOSECONDS.toMillis(HEARTBEAT_NANOS), watchers, minutes);
		List<Thread> senders = new ArrayList<>();
		for (int t = 0; t < SENDERS; t++) {
			Sender sender = new Sender(port, t, instances, counters, running);
			Thread thread = new Thread(sender, "soak-sender-" + t);
			thread.start();
			senders.add(thread);
		}
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (counters.registered.get() < instances && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		System.out.printf("registered %d (failures %d)%n", counters.registered.get(), counters.failures.get());

		List<CompletableFuture<?>> streams = new ArrayList<>();
		AtomicLong events = new AtomicLong();
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

		AtomicLong changes = new AtomicLong();
		Thread churn = new Thread(() -> churn(port, instances, changes, counters, running), "soak-churn");
		churn.start();

		List<double[]> samples = new ArrayList<>();
		System.out.println("minute  heartbeats  late>5s  failures  re-registered  up-instances  lapses  changes"
				+ "  watch-events  heap-after-GC-KB");
		long start = System.nanoTime();
		for (int minute = 1; minute <= minutes; minute++) {
			Thread.sleep(Math.max(0, start + TimeUnit.MINUTES.toNanos(minute) - System.nanoTime()) / 1_000_000);
			int up = upInstances(http, base);
			String lapses = counter(metrics(http, base), "beacon_registry_lapses_total");
			long heapKb = heapAfterGcKb(pid);
			samples.add(new double[] { minute, heapKb });
			System.out.printf("%6d  %10d  %7d  %8d  %13d  %12d  %6s  %7d  %12d  %16d%n", minute,
					counters.heartbeats.get(), counters.late.get(), counters.failures.get(),
					counters.reregistered.get(), up, lapses, changes.get(), events.get(), heapKb);
		}
		running.set(false);
		for (Thread sender : senders) {
			sender.join(10_000);
		}
		churn.join(10_000);
		streams.forEach((stream) -> stream.cancel(true));
		double slope = slope(samples);
		System.out.printf("heap trend: %.1f KB per minute (least squares over %d samples)%n", slope, samples.size());
		String metrics = metrics(http, base);
		System.out.printf("result: instances=%d up_at_end=%d heartbeats=%d heartbeat_failures=%d late_over_5s=%d "
				+ "reregistered=%d changes=%d watch_events=%d lapses=%s evictions=%s heap_slope_kb_per_min=%.1f%n",
				instances, upInstances(http, base), counters.heartbeats.get(), counters.failures.get(),
				counters.late.get(), counters.reregistered.get(), changes.get(), events.get(),
				counter(metrics, "beacon_registry_lapses_total"),
				counter(metrics, "beacon_registry_evictions_total"), slope);
		System.exit(0);
	}

	/** Re-registers instance after instance with new metadata, CHURN_PER_SECOND a second. */
	private static void churn(int port, int instances, AtomicLong changes, Counters counters, AtomicBoolean running) {
		long period = TimeUnit.SECONDS.toNanos(1) / CHURN_PER_SECOND;
		long next = System.nanoTime();
		Connection connection = null;
		try {
			for (long n = 0; running.get(); n++) {
				TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
				next += period;
				int i = (int) ((n * 7919) % instances);
				try {
					if (connection == null) {
						connection = new Connection(port);
					}
					if (connection.exchange("POST", "/v1/services/" + service(i) + "/instances",
							registrationBody(i, n)) == 200) {
						changes.incrementAndGet();
					}
					else {
						counters.failures.incrementAndGet();
					}
				}
				catch (IOException ex) {
					counters.failures.incrementAndGet();
					if (connection != null) {
						connection.close();
						connection = null;
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (connection != null) {
				connection.close();
			}
		}
	}

	private static byte[] registrationBody(int i, long generation) {
		return String.format(Locale.ROOT,
				"{\"instanceId\":\"%s\",\"host\":\"127.0.0.1\",\"port\":%d,\"leaseTtlSeconds\":%d,"
						+ "\"metadata\":{\"zone\":\"z%d\",\"version\":\"1.%d.%d\"}}",
				instanceId(i), 20_000 + (i % 40_000), LEASE_SECONDS, i % 3, generation, i % 10)
			.getBytes(StandardCharsets.UTF_8);
	}

	private static String metrics(HttpClient http, String base) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	private static String counter(String metrics, String name) {
		Matcher m = Pattern.compile("^" + name + "\\{[^}]*\\} (\\S+)", Pattern.MULTILINE).matcher(metrics);
		return m.find() ? m.group(1) : "?";
	}

	private static String service(int i) {
		return String.format("soak-svc-%03d", i % 100);
	}

	private static String instanceId(int i) {
		return String.format("soak-%05d", i);
	}

	private static final class Counters {

		final AtomicLong registered = new AtomicLong();

		final AtomicLong heartbeats = new AtomicLong();

		final AtomicLong late = new AtomicLong();

		final AtomicLong failures = new AtomicLong();

		final AtomicLong reregistered = new AtomicLong();

	}

	/**
	 * Registers the instances {@code i % SENDERS == slot}, then heartbeats each one every interval,
	 * counted from its registration, over one keep-alive connection. Registration of the slice is
	 * interleaved with the heartbeats already due, so no lease waits for the rest to register.
	 */
	private static final class Sender implements Runnable {

		private final int port;

		private final int[] ids;

		private final long[] due;

		private final Counters counters;

		private final AtomicBoolean running;

		private Connection connection;

		Sender(int port, int slot, int instances, Counters counters, AtomicBoolean running) {
			this.port = port;
			this.ids = java.util.stream.IntStream.range(0, instances).filter((i) -> i % SENDERS == slot).toArray();
			this.due = new long[this.ids.length];
			this.counters = counters;
			this.running = running;
		}

		@Override
		public void run() {
			int registered = 0;
			int next = 0;
			try {
				while (this.running.get()) {
					long now = System.nanoTime();
					if (registered > 0 && this.due[next] <= now) {
						heartbeat(this.ids[next], now - this.due[next]);
						this.due[next] += HEARTBEAT_NANOS;
						next = (next + 1) % registered;
					}
					else if (registered < this.ids.length) {
						if (send("POST", "/v1/services/" + service(this.ids[registered]) + "/instances",
								registrationBody(this.ids[registered], 0)) / 100 == 2) {
							this.counters.registered.incrementAndGet();
						}
						this.due[registered] = System.nanoTime() + HEARTBEAT_NANOS;
						registered++;
					}
					else {
						long waitNanos = Math.min(this.due[next] - now, TimeUnit.MILLISECONDS.toNanos(200));
						TimeUnit.NANOSECONDS.sleep(Math.max(waitNanos, 0));
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				closeConnection();
			}
		}

		private void heartbeat(int i, long lateNanos) {
			if (lateNanos > HEARTBEAT_NANOS) {
				this.counters.late.incrementAndGet();
			}
			int status = send("PUT", "/v1/services/" + service(i) + "/instances/" + instanceId(i) + "/heartbeat",
					null);
			if (status == 204) {
				this.counters.heartbeats.incrementAndGet();
			}
			else if (status == 404) {
				this.counters.reregistered.incrementAndGet();
				send("POST", "/v1/services/" + service(i) + "/instances", registrationBody(i, 0));
			}
			else {
				this.counters.failures.incrementAndGet();
			}
		}

		/** One request; the status code, or -1 (counted as a failure) when the connection failed. */
		private int send(String method, String path, byte[] body) {
			try {
				if (this.connection == null) {
					this.connection = new Connection(this.port);
				}
				int status = this.connection.exchange(method, path, body);
				if (!this.connection.reusable) {
					closeConnection();
				}
				return status;
			}
			catch (IOException ex) {
				this.counters.failures.incrementAndGet();
				closeConnection();
				return -1;
			}
		}

		private void closeConnection() {
			if (this.connection != null) {
				this.connection.close();
				this.connection = null;
			}
		}

	}

	/** A keep-alive HTTP/1.1 connection to the registry on loopback, one exchange at a time. */
	private static final class Connection implements Closeable {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		private final String host;

		private boolean reusable = true;

		Connection(int port) throws IOException {
			this.socket = new Socket();
			this.socket.setTcpNoDelay(true);
			this.socket.setSoTimeout(10_000);
			this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			this.in = new BufferedInputStream(this.socket.getInputStream());
			this.out = this.socket.getOutputStream();
			this.host = "127.0.0.1:" + port;
		}

		int exchange(String method, String path, byte[] body) throws IOException {
			StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path)
				.append(" HTTP/1.1\r\nHost: ").append(this.host).append("\r\n");
			if (body != null) {
				head.append("Content-Type: application/json\r\n");
			}
			head.append("Content-Length: ").append((body != null) ? body.length : 0).append("\r\n\r\n");
			this.out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
			if (body != null) {
				this.out.write(body);
			}
			this.out.flush();
			String statusLine = readLine();
			if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
				throw new IOException("unexpected status line: " + statusLine);
			}
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long length = 0;
			boolean chunked = false;
			boolean close = false;
			for (String line = readLine(); !line.isEmpty(); line = readLine()) {
				int colon = line.indexOf(':');
				String name = (colon > 0) ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
				String value = (colon > 0) ? line.substring(colon + 1).trim().toLowerCase(Locale.ROOT) : "";
				switch (name) {
					case "content-length" -> length = Long.parseLong(value);
					case "transfer-encoding" -> chunked = value.contains("chunked");
					case "connection" -> close = value.contains("close");
					default -> {
					}
				}
			}
			if (chunked) {
				for (long size = Long.parseLong(readLine().split(";")[0].trim(), 16); size > 0;
						size = Long.parseLong(readLine().split(";")[0].trim(), 16)) {
					this.in.skipNBytes(size);
					readLine();
				}
				while (!readLine().isEmpty()) {
					// trailers
				}
			}
			else {
				this.in.skipNBytes(length);
			}
			this.reusable = !close;
			return status;
		}

		private String readLine() throws IOException {
			StringBuilder line = new StringBuilder(64);
			for (int c = this.in.read(); c != '\n'; c = this.in.read()) {
				if (c < 0) {
					throw new EOFException("connection closed");
				}
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

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
