import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Watch-stream fan-out latency of a Beacon registry: how long a change takes to reach every open
 * watch stream.
 * <p>
 * Registers one instance in a service of its own, opens {@code --streams} Server-Sent Events streams
 * on {@code GET /v1/watch?service=...} (waiting for each stream's snapshot), then flips the
 * instance's status between UP and DRAINING {@code --changes} times, {@code --rate} times a second,
 * each change after the previous one was answered ({@code --warmup N} makes N more changes first and
 * leaves them out of the figures). For every change and every stream it records the
 * delay from just before the change request was sent to the moment the stream delivered the complete
 * event (the n-th {@code updated} event of a stream is the n-th change: nothing else changes that
 * service). Prints p50/p99/max over all deliveries and over the last delivery of each change, then
 * deregisters the instance and closes the streams.
 * <p>
 * Bounded: loopback URLs only, at most 5,000 streams and 10,000 changes at no more than 100 a
 * second, and every wait has a deadline. JDK only: the streams are read with plain non-blocking
 * sockets ({@code --transport jdk}: with the JDK HttpClient); run with
 * {@code java bench/WatchLatency.java --base http://127.0.0.1:8700 --streams 1000}.
 * <p>
 * With {@code --hold-file PATH} it only opens the streams, prints {@code streams_open=N}, and keeps
 * them open until PATH exists (at most {@code --hold-max-seconds}): the memory benchmark measures
 * the server's heap meanwhile.
 */
public final class WatchLatency {

	private static final long NO_TIME = Long.MIN_VALUE;

	private final URI base;

	private final String service;

	private final int streams;

	private final int changes;

	/** Changes made first and not measured, so the client's own code is compiled when measuring starts. */
	private final int warmup;

	private final double rate;

	private final HttpClient http;

	private final ExecutorService executor;

	/** Send time (System.nanoTime) of each change, set before the change is sent. */
	private final AtomicLongArray sentAt;

	/** Adds to a System.nanoTime value to give nanoseconds since the epoch (for --details). */
	private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

	/** Delivery delays in microseconds, per change, one slot per stream ({@link #NO_TIME} until delivered). */
	private final long[][] delays;

	/** Bumped after each delay is stored, so that reading it publishes the delays. */
	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong unexpected = new AtomicLong();

	private final AtomicInteger failedStreams = new AtomicInteger();

	/** Optional file for the time each change took to reach its last stream, one line per change. */
	private Path details;

	/** Reads the streams with plain non-blocking sockets (nio) or with the JDK HttpClient (jdk). */
	private boolean nio = true;

	private NioStreams nioStreams;

	private WatchLatency(URI base, String service, int streams, int changes, int warmup, double rate) {
		this.base = base;
		this.service = service;
		this.streams = streams;
		this.changes = changes;
		this.warmup = warmup;
		this.rate = rate;
		this.sentAt = new AtomicLongArray(warmup + changes);
		this.delays = new long[warmup + changes][streams];
		for (long[] slots : this.delays) {
			Arrays.fill(slots, NO_TIME);
		}
		this.executor = Executors.newFixedThreadPool(1, (task) -> {
			Thread thread = new Thread(task, "watch-latency-client");
			thread.setDaemon(true);
			return thread;
		});
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(this.executor)
			.build();
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = parse(args);
		URI base = URI.create(options.getOrDefault("base", "http://127.0.0.1:8700"));
		String host = base.getHost();
		if (!"http".equals(base.getScheme()) || !("127.0.0.1".equals(host) || "localhost".equals(host)
				|| "[::1]".equals(host) || "::1".equals(host))) {
			fail("--base must be a loopback http URL, got " + base);
		}
		int streams = bounded(options, "streams", 1000, 1, 5000);
		int changes = bounded(options, "changes", 100, 1, 10_000);
		int warmup = bounded(options, "warmup", 0, 0, 10_000);
		double rate = Double.parseDouble(options.getOrDefault("rate", "5"));
		if (!(rate > 0 && rate <= 100)) {
			fail("--rate must be in (0, 100] changes a second, got " + rate);
		}
		String service = options.getOrDefault("service", "watch-latency");
		String holdFile = options.get("hold-file");
		int holdMax = bounded(options, "hold-max-seconds", 300, 1, 3600);
		WatchLatency tool = new WatchLatency(base, service, streams, changes, warmup, rate);
		tool.details = options.containsKey("details") ? Path.of(options.get("details")) : null;
		String transport = options.getOrDefault("transport", "nio");
		if (!transport.equals("nio") && !transport.equals("jdk")) {
			fail("--transport must be nio or jdk, got " + transport);
		}
		tool.nio = transport.equals("nio");
		tool.run(holdFile, holdMax);
	}

	private void run(String holdFile, int holdMaxSeconds) throws Exception {
		String instanceId = "wl-" + ProcessHandle.current().pid();
		List<StreamReader> open = new ArrayList<>();
		try {
			register(instanceId);
			open = openStreams();
			System.out.println("streams_open=" + (this.streams - this.failedStreams.get()));
			if (holdFile != null) {
				hold(Path.of(holdFile), holdMaxSeconds);
				return;
			}
			makeChanges(instanceId);
			report();
		}
		finally {
			for (StreamReader stream : open) {
				stream.close();
			}
			if (this.nioStreams != null) {
				this.nioStreams.close();
			}
			try {
				send("DELETE", "/v1/services/" + this.service + "/instances/" + instanceId, null);
			}
			catch (IOException ex) {
				System.err.println("could not deregister " + instanceId + ": " + ex.getMessage());
			}
			this.executor.shutdownNow();
		}
	}

	private void register(String instanceId) throws Exception {
		HttpResponse<String> response = send("POST", "/v1/services/" + this.service + "/instances",
				"{\"instanceId\":\"" + instanceId + "\",\"host\":\"127.0.0.1\",\"port\":9999,\"leaseTtlSeconds\":3600}");
		if (response.statusCode() != 201 && response.statusCode() != 200) {
			fail("registration answered " + response.statusCode() + ": " + response.body());
		}
	}

	/** Opens the streams, a bounded number at a time, and waits for every snapshot. */
	private List<StreamReader> openStreams() throws InterruptedException, IOException {
		List<StreamReader> open = new ArrayList<>();
		if (this.nio) {
			this.nioStreams = new NioStreams();
		}
		CountDownLatch snapshots = new CountDownLatch(this.streams);
		Semaphore opening = new Semaphore(50);
		long start = System.nanoTime();
		for (int i = 0; i < this.streams; i++) {
			if (!opening.tryAcquire(30, TimeUnit.SECONDS)) {
				fail("opening streams stalled after " + i);
			}
			StreamReader reader = new StreamReader(i, snapshots, opening);
			open.add(reader);
			if (this.nio) {
				this.nioStreams.open(reader);
				continue;
			}
			HttpRequest request = HttpRequest.newBuilder(this.base.resolve("/v1/watch?service=" + this.service))
				.header("Accept", "text/event-stream")
				.GET()
				.build();
			this.http.sendAsync(request, HttpResponse.BodyHandlers.fromSubscriber(reader))
				.whenComplete((response, ex) -> reader.ended(ex));
		}
		if (!snapshots.await(60, TimeUnit.SECONDS)) {
			fail("only " + (this.streams - snapshots.getCount()) + " of " + this.streams + " streams got a snapshot");
		}
		System.out.printf(Locale.ROOT, "streams_open_ms=%d%n", (System.nanoTime() - start) / 1_000_000);
		return open;
	}

	private void hold(Path file, int maxSeconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
		while (!Files.exists(file) && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		System.out.println("hold_ended=" + (Files.exists(file) ? "file" : "timeout"));
	}

	private void makeChanges(String instanceId) throws Exception {
		long intervalNanos = (long) (1e9 / this.rate);
		long next = System.nanoTime();
		for (int i = 0; i < this.warmup + this.changes; i++) {
			long now = System.nanoTime();
			if (next > now) {
				TimeUnit.NANOSECONDS.sleep(next - now);
			}
			next += intervalNanos;
			String status = (i % 2 == 0) ? "DRAINING" : "UP";
			this.sentAt.set(i, System.nanoTime());
			HttpResponse<String> response = send("PUT",
					"/v1/services/" + this.service + "/instances/" + instanceId + "/status",
					"{\"status\":\"" + status + "\"}");
			if (response.statusCode() != 200) {
				fail("status change answered " + response.statusCode() + ": " + response.body());
			}
		}
		// Every delivery of the last change, or give up after 10 s.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long expected = (long) (this.warmup + this.changes) * (this.streams - this.failedStreams.get());
		while (this.delivered.get() < expected && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private void report() {
		List<Long> all = new ArrayList<>();
		List<Long> lastPerChange = new ArrayList<>();
		long missing = 0;
		this.delivered.get();
		List<String> lines = new ArrayList<>();
		for (int change = this.warmup; change < this.delays.length; change++) {
			long last = -1;
			for (long delay : this.delays[change]) {
				if (delay == NO_TIME) {
					missing++;
					continue;
				}
				all.add(delay);
				last = Math.max(last, delay);
			}
			if (last >= 0) {
				lastPerChange.add(last);
				Instant sent = Instant.EPOCH.plusNanos(this.sentAt.get(change) + this.epochOffsetNanos);
				lines.add((change - this.warmup) + " " + sent + " " + last / 1000.0);
			}
		}
		all.sort(null);
		lastPerChange.sort(null);
		if (this.details != null) {
			try {
				Files.write(this.details, lines);
			}
			catch (IOException ex) {
				System.err.println("could not write " + this.details + ": " + ex.getMessage());
			}
		}
		System.out.printf(Locale.ROOT, "watch_streams=%d%nwatch_changes=%d%nwatch_warmup_changes=%d%n"
				+ "watch_rate_per_s=%s%n", this.streams, this.changes, this.warmup, this.rate);
		System.out.printf(Locale.ROOT, "watch_deliveries=%d%nwatch_missing=%d%nwatch_failed_streams=%d%n"
				+ "watch_unexpected_events=%d%n", all.size(), missing, this.failedStreams.get(), this.unexpected.get());
		System.out.printf(Locale.ROOT, "watch_p50_ms=%.2f%nwatch_p99_ms=%.2f%nwatch_max_ms=%.2f%n",
				percentile(all, 50), percentile(all, 99), percentile(all, 100));
		System.out.printf(Locale.ROOT, "watch_all_streams_p50_ms=%.2f%nwatch_all_streams_p99_ms=%.2f%n"
				+ "watch_all_streams_max_ms=%.2f%n", percentile(lastPerChange, 50), percentile(lastPerChange, 99),
				percentile(lastPerChange, 100));
	}

	private static double percentile(List<Long> sortedMicros, double p) {
		if (sortedMicros.isEmpty()) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p / 100 * sortedMicros.size());
		return sortedMicros.get(Math.max(0, Math.min(sortedMicros.size() - 1, rank - 1))) / 1000.0;
	}

	/** Records that a stream delivered the event of change {@code change} at {@code now}. */
	private void arrived(int stream, int change, long now) {
		if (change >= this.delays.length) {
			this.unexpected.incrementAndGet();
			return;
		}
		this.delays[change][stream] = (now - this.sentAt.get(change)) / 1000;
		this.delivered.incrementAndGet();
	}

	private HttpResponse<String> send(String method, String path, String json) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(10));
		if (json != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> options = new ConcurrentHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				fail("usage: java WatchLatency.java [--base URL] [--streams N] [--changes N] [--warmup N] [--rate PER_S]"
						+ " [--service NAME] [--details FILE] [--transport nio|jdk] [--hold-file PATH] [--hold-max-seconds S]");
			}
			options.put(args[i].substring(2), args[++i]);
		}
		return options;
	}

	private static int bounded(Map<String, String> options, String name, int fallback, int min, int max) {
		int value = Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
		if (value < min || value > max) {
			fail("--" + name + " must be " + min + "-" + max + ", got " + value);
		}
		return value;
	}

	private static void fail(String message) {
		System.err.println("WatchLatency: " + message);
		System.exit(2);
	}

	/**
	 * Reads one SSE stream as bytes: an event ends at an empty line, and only the start of its
	 * {@code event:} line is looked at. (Decoding every line into a String made this client, not the
	 * server, the slow side with a thousand streams.)
	 */
	private final class StreamReader implements Flow.Subscriber<List<ByteBuffer>> {

		private static final byte[] SNAPSHOT = "event: snapshot".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] UPDATED = "event: updated".getBytes(StandardCharsets.US_ASCII);

		private final int stream;

		private final CountDownLatch snapshots;

		private final Semaphore opening;

		private volatile Flow.Subscription subscription;

		/** The first bytes of the current line. */
		private final byte[] line = new byte[24];

		private int lineLength;

		/** 0: none yet, 1: snapshot, 2: updated, 3: other. */
		private int event;

		private boolean snapshotSeen;

		/** How many change events this stream delivered so far. */
		private int updates;

		StreamReader(int stream, CountDownLatch snapshots, Semaphore opening) {
			this.stream = stream;
			this.snapshots = snapshots;
			this.opening = opening;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				accept(buffer, buffer.limit());
			}
		}

		/** Takes the body bytes of the stream from the buffer's position up to {@code end}. */
		void accept(ByteBuffer buffer, int end) {
			while (buffer.position() < end) {
				byte b = buffer.get();
				if (b != '\n') {
					if (this.lineLength < this.line.length) {
						this.line[this.lineLength] = b;
					}
					this.lineLength++;
				}
				else if (this.lineLength == 0) {
					eventEnded(System.nanoTime());
				}
				else {
					lineEnded();
				}
			}
		}

		private void lineEnded() {
			if (startsWith(SNAPSHOT)) {
				this.event = 1;
			}
			else if (startsWith(UPDATED)) {
				this.event = 2;
			}
			else if (this.lineLength >= 6 && this.line[0] == 'e' && this.line[5] == ':') {
				this.event = 3;
			}
			this.lineLength = 0;
		}

		private boolean startsWith(byte[] prefix) {
			if (this.lineLength < prefix.length) {
				return false;
			}
			for (int i = 0; i < prefix.length; i++) {
				if (this.line[i] != prefix[i]) {
					return false;
				}
			}
			return true;
		}

		private void eventEnded(long now) {
			if (this.event == 1 && !this.snapshotSeen) {
				this.snapshotSeen = true;
				this.snapshots.countDown();
				this.opening.release();
			}
			else if (this.event == 2) {
				arrived(this.stream, this.updates++, now);
			}
			else if (this.event == 3) {
				WatchLatency.this.unexpected.incrementAndGet();
			}
			this.event = 0;
		}

		@Override
		public void onError(Throwable error) {
			ended(error);
		}

		@Override
		public void onComplete() {
			ended(null);
		}

		/** Closes the stream (and its connection). */
		void close() {
			Flow.Subscription current = this.subscription;
			if (current != null) {
				current.cancel();
			}
		}

		void ended(Throwable error) {
			if (!this.snapshotSeen) {
				this.snapshotSeen = true;
				WatchLatency.this.failedStreams.incrementAndGet();
				this.snapshots.countDown();
				this.opening.release();
				if (error != null) {
					System.err.println("stream " + this.stream + " failed: " + error);
				}
			}
		}

	}


	/**
	 * All the streams on plain non-blocking sockets, read by one thread with one selector: the
	 * response head is checked and skipped, the chunked body decoded, and the SSE bytes handed to
	 * the stream's {@link StreamReader} as soon as they are read. A thousand streams in one JVM
	 * through the JDK HttpClient cost the client more than the server (a hand-off between its
	 * selector thread and its executor for every event), which made the client the slow side.
	 */
	private final class NioStreams implements Runnable {

		private final Selector selector = Selector.open();

		private final Queue<Connection> pending = new ConcurrentLinkedQueue<>();

		private final List<Connection> all = new ArrayList<>();

		private final Thread thread = new Thread(this, "watch-latency-nio");

		private volatile boolean running = true;

		NioStreams() throws IOException {
			this.thread.setDaemon(true);
			this.thread.start();
		}

		/** Connects and sends the request on the calling thread; the reading thread takes it from there. */
		void open(StreamReader reader) throws IOException {
			SocketChannel channel = SocketChannel.open(new InetSocketAddress(WatchLatency.this.base.getHost(),
					WatchLatency.this.base.getPort()));
			channel.socket().setTcpNoDelay(true);
			String request = "GET /v1/watch?service=" + WatchLatency.this.service + " HTTP/1.1\r\nHost: "
					+ WatchLatency.this.base.getAuthority() + "\r\nAccept: text/event-stream\r\n\r\n";
			ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
			while (out.hasRemaining()) {
				channel.write(out);
			}
			channel.configureBlocking(false);
			Connection connection = new Connection(channel, reader);
			this.pending.add(connection);
			this.selector.wakeup();
		}

		@Override
		public void run() {
			ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
			try {
				while (this.running) {
					this.selector.select(100);
					for (Connection connection; (connection = this.pending.poll()) != null;) {
						connection.channel.register(this.selector, SelectionKey.OP_READ, connection);
						this.all.add(connection);
					}
					for (SelectionKey key : this.selector.selectedKeys()) {
						Connection connection = (Connection) key.attachment();
						buffer.clear();
						int read;
						try {
							read = connection.channel.read(buffer);
						}
						catch (IOException ex) {
							read = -1;
						}
						if (read < 0) {
							key.cancel();
							connection.channel.close();
							connection.reader.ended(new IOException("stream closed by the server"));
							continue;
						}
						buffer.flip();
						try {
							connection.decode(buffer);
						}
						catch (IOException | NumberFormatException ex) {
							key.cancel();
							connection.channel.close();
							connection.reader.ended(ex);
						}
					}
					this.selector.selectedKeys().clear();
				}
			}
			catch (IOException | RuntimeException ex) {
				System.err.println("stream reader failed: " + ex);
			}
		}

		void close() {
			this.running = false;
			this.selector.wakeup();
			try {
				this.thread.join(5_000);
				for (Connection connection : this.all) {
					connection.channel.close();
				}
				this.selector.close();
			}
			catch (IOException ex) {
				System.err.println("could not close the streams: " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/** One stream's socket and where it is in the response: the head, then chunk sizes and data. */
	private static final class Connection {

		private static final int HEAD = 0;

		private static final int SIZE = 1;

		private static final int DATA = 2;

		private static final int DATA_END = 3;

		/** A body without chunked encoding: every byte up to the end of the connection. */
		private static final int RAW = 4;

		/** After the last chunk: the stream has ended, trailer lines are ignored. */
		private static final int TRAILERS = 5;

		private final SocketChannel channel;

		private final StreamReader reader;

		private final StringBuilder line = new StringBuilder();

		private int state = HEAD;

		private boolean statusSeen;

		private boolean chunked;

		private long remaining;

		Connection(SocketChannel channel, StreamReader reader) {
			this.channel = channel;
			this.reader = reader;
		}

		void decode(ByteBuffer buffer) throws IOException {
			while (buffer.hasRemaining()) {
				if (this.state == RAW) {
					this.reader.accept(buffer, buffer.limit());
					continue;
				}
				if (this.state == DATA) {
					int end = (int) Math.min(buffer.limit(), buffer.position() + this.remaining);
					int before = buffer.position();
					this.reader.accept(buffer, end);
					this.remaining -= buffer.position() - before;
					if (this.remaining == 0) {
						this.state = DATA_END;
					}
					continue;
				}
				byte b = buffer.get();
				if (b == '\r') {
					continue;
				}
				if (b != '\n') {
					this.line.append((char) b);
					continue;
				}
				String text = this.line.toString();
				this.line.setLength(0);
				if (this.state == HEAD) {
					if (!this.statusSeen) {
						this.statusSeen = true;
						if (!text.startsWith("HTTP/1.1 200")) {
							throw new IOException("watch answered " + text);
						}
					}
					else if (text.isEmpty()) {
						this.state = this.chunked ? SIZE : RAW;
					}
					else if (text.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:")) {
						this.chunked = text.toLowerCase(Locale.ROOT).contains("chunked");
					}
				}
				else if (this.state == DATA_END) {
					this.state = SIZE;
				}
				else if (this.state == SIZE) {
					this.remaining = Long.parseLong(text.split(";")[0].trim(), 16);
					this.state = (this.remaining == 0) ? TRAILERS : DATA;
				}
			}
		}

	}
}
