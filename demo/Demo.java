import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Beacon demo: starts a registry, three payment instances and one order instance as local
 * processes on 127.0.0.1, and shows discovery, load balancing, live change events, a crash and a
 * graceful shutdown with orders flowing all the time. Run it with ./demo.sh (which builds the jars
 * first, and runs this file with Jackson from the registry's jar on the class path to read the JSON
 * answers); it needs nothing but Java 17.
 */
public class Demo {

	private static final Path ROOT = Path.of(System.getProperty("beacon.root", ".")).toAbsolutePath().normalize();

	private static final Path LOGS = ROOT.resolve(".demo/logs");

	private static final Duration PAYMENT_LEASE = Duration.ofSeconds(3);

	private static final int MAX_ORDERS = 5_000;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Map<String, Process> processes = new LinkedHashMap<>();

	private final ExecutorService background = Executors.newFixedThreadPool(2);

	private final ScheduledExecutorService orderTicker = Executors.newSingleThreadScheduledExecutor();

	private final Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();

	private final AtomicInteger sent = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final List<String> failures = new ArrayList<>();

	private final long started = System.nanoTime();

	private volatile boolean printEvents;

	private int registryPort;

	private int orderPort;

	private final Map<String, Integer> paymentPorts = new LinkedHashMap<>();

	public static void main(String[] args) throws Exception {
		boolean keepRunning = List.of(args).contains("--keep-running");
		Demo demo = new Demo();
		Runtime.getRuntime().addShutdownHook(new Thread(demo::stopEverything, "demo-cleanup"));
		try {
			demo.run(keepRunning);
		}
		catch (Exception ex) {
			System.out.println();
			System.out.println("The demo stopped: " + ex.getMessage());
			System.out.println("Process logs are in " + LOGS);
			System.exit(1);
		}
		System.exit(0);
	}

	private void run(boolean keepRunning) throws Exception {
		Files.createDirectories(LOGS);
		banner("Beacon demo: service discovery with push, on this machine, no Docker");
		say("Everything runs as local processes on 127.0.0.1; logs go to " + ROOT.relativize(LOGS) + "/.");

		step(1, "Start the registry and the services, and see them register");
		this.registryPort = port(8700);
		start("registry", "registry-server/target/registry-server-exec.jar", this.registryPort, List.of());
		waitHealthy("registry", this.registryPort);
		say("The registry listens on http://127.0.0.1:" + this.registryPort + " (REST API, push channel, actuator).");
		say("Live dashboard: open http://127.0.0.1:" + this.registryPort + "/ in a browser to watch every step below.");
		say("Security is off in this demo (beacon.registry.security.enabled=false): anyone who can reach the");
		say("registry may read, register and deregister. docker-compose.yml runs it with a token per service;");
		say("see \"Securing the registry\" in README.md.");
		openWatch();
		for (String name : List.of("payment-1", "payment-2", "payment-3")) {
			startPayment(name);
		}
		this.orderPort = port(8080);
		start("order", "sample-order-service/target/sample-order-service.jar", this.orderPort, clientArgs());
		for (String name : List.of("payment-1", "payment-2", "payment-3")) {
			waitHealthy(name, this.paymentPorts.get(name));
		}
		waitHealthy("order", this.orderPort);
		waitUntil("the three payment instances are UP in the registry", Duration.ofSeconds(30),
				() -> upPayments().size() == 3);
		say("Each app added the starter and set one key, beacon.client.registry-url. On start each registered");
		say("itself as STARTING and turned UP when Boot said it was ready. The registry now holds:");
		for (JsonNode service : getJson(this.registryPort, "/v1/services").path("services")) {
			List<String> counts = new ArrayList<>();
			service.path("counts").properties().forEach((count) -> counts.add(count.getKey() + ":" + count.getValue()));
			System.out.printf("    %-16s %s instance(s)  %s%n", text(service, "service"), service.path("total").asInt(),
					String.join(",", counts));
		}
		say("Health of each process (/actuator/health):");
		for (Map.Entry<String, Integer> app : apps().entrySet()) {
			JsonNode health = getJson(app.getValue(), "/actuator/health");
			JsonNode reachable = health.findValue("registryReachable");
			System.out.printf("    %-10s %s  registry reachable: %s%n", app.getKey(), text(health, "status"),
					(reachable != null && reachable.asBoolean()) ? "yes" : "n/a");
		}

		step(2, "Client-side discovery: order-service finds payment-service by name");
		say("order-service knows no payment address, only the registry's. Its first call looked up");
		say("payment-service once and subscribed to the registry's push channel; from then on it answers from");
		say("memory. Its cached view (/actuator/beacon):");
		placeOrder();
		for (Map.Entry<String, JsonNode> service : getJson(this.orderPort, "/actuator/beacon").path("services").properties()) {
			for (JsonNode instance : service.getValue()) {
				System.out.printf("    %-18s %-24s %s%n", text(instance, "instanceId"), text(instance, "uri"),
						text(instance, "status"));
			}
		}

		step(3, "Load balancing: six orders, round-robin over the three payment instances");
		this.servedBy.clear();
		for (int i = 1; i <= 6; i++) {
			System.out.printf("    order %d -> paid by %s%n", i, placeOrder());
		}
		say("Orders per instance: " + new TreeMap<>(this.servedBy) + " - the cached view, the round-robin strategy,");
		say("no call to the registry on the way.");

		step(4, "Watching: the registry pushes every change; from now on they are printed live");
		say("Lines starting with [push] come from GET /v1/watch (Server-Sent Events), as they happen.");
		this.printEvents = true;
		say("Orders now flow at 20 per second in the background; each must succeed.");
		startOrderFlow();
		pause(Duration.ofSeconds(2));

		step(5, "Failure: payment-2 is killed with SIGKILL while orders keep flowing");
		String victim = "payment-2";
		String victimId = "127.0.0.1:" + this.paymentPorts.get(victim);
		int failedBefore = this.failed.get();
		long killedAt = System.nanoTime();
		this.processes.get(victim).destroyForcibly();
		say("Killed " + victim + " (" + victimId + ") at " + elapsed() + ". It could not say goodbye: callers that try it");
		say("get 'connection refused', retry on another instance at once, and skip it for a while.");
		waitUntil(victimId + " DOWN in the registry", PAYMENT_LEASE.plusSeconds(5),
				() -> "DOWN".equals(statusOf("payment-service", victimId)));
		say(String.format("The registry marked it DOWN %.1f s after the kill (connection_lost): the kernel closed the",
				since(killedAt)));
		say("dead process's lease stream, and it was not reopened within the 250 ms grace. Without the stream,");
		say(String.format("its lease would lapse %d s after its last heartbeat.", PAYMENT_LEASE.toSeconds()));
		waitUntil(victimId + " removed from the registry", PAYMENT_LEASE.multipliedBy(3).plusSeconds(5),
				() -> statusOf("payment-service", victimId) == null);
		say(String.format("...and removed it %.1f s after the kill (3 x its lease without a heartbeat).",
				since(killedAt)));
		say("Orders failed meanwhile: " + (this.failed.get() - failedBefore) + ".");

		step(6, "A new payment instance joins and starts receiving orders");
		startPayment("payment-4");
		waitHealthy("payment-4", this.paymentPorts.get("payment-4"));
		String newId = "127.0.0.1:" + this.paymentPorts.get("payment-4");
		waitUntil(newId + " UP", Duration.ofSeconds(30), () -> "UP".equals(statusOf("payment-service", newId)));
		int before = count(newId);
		waitUntil(newId + " serving orders", Duration.ofSeconds(10), () -> count(newId) >= before + 5);
		say(newId + " registered, turned UP, and order-service started using it within milliseconds of the push.");

		anyLanguage(7);

		step(8, "Graceful shutdown: payment-3 gets SIGTERM, drains, and no order fails");
		String leaving = "payment-3";
		String leavingId = "127.0.0.1:" + this.paymentPorts.get(leaving);
		failedBefore = this.failed.get();
		long termAt = System.nanoTime();
		this.processes.get(leaving).destroy();
		say("Sent SIGTERM to " + leaving + ". It reports DRAINING (callers drop it at once), keeps serving for its");
		say("drain delay, lets Boot finish the requests in flight, then deregisters.");
		waitUntil(leavingId + " deregistered", Duration.ofSeconds(20),
				() -> statusOf("payment-service", leavingId) == null);
		this.processes.get(leaving).waitFor(20, TimeUnit.SECONDS);
		say(String.format("%s deregistered %.1f s after SIGTERM; orders failed meanwhile: %d.", leaving,
				since(termAt), this.failed.get() - failedBefore));
		pause(Duration.ofSeconds(1));
		stopOrderFlow();
		this.printEvents = false;

		gatewayStep(9);

		step(10, "Summary");
		System.out.printf("    orders sent: %d, failed: %d%n", this.sent.get(), this.failed.get());
		say("Orders per payment instance:");
		new TreeMap<>(this.servedBy).forEach((id, n) -> System.out.printf("    %-18s %d%n", id, n.get()));
		this.failures.stream().limit(5).forEach((f) -> System.out.println("    failure: " + f));
		if (keepRunning) {
			keepRunning();
		}
		say("Stopping everything the demo started.");
	}

	private void keepRunning() throws InterruptedException {
		banner("The stack keeps running: press Ctrl-C to stop it");
		System.out.println("  registry         http://127.0.0.1:" + this.registryPort + "/v1/services");
		System.out.println("  watch changes    curl -N http://127.0.0.1:" + this.registryPort + "/v1/watch");
		System.out.println("  registry metrics http://127.0.0.1:" + this.registryPort + "/actuator/prometheus");
		System.out.println("  order            curl -X POST http://127.0.0.1:" + this.orderPort
				+ "/orders -H 'Content-Type: application/json' -d '{\"item\":\"book\",\"amount\":12.5}'");
		System.out.println("  order's view     http://127.0.0.1:" + this.orderPort + "/actuator/beacon");
		this.paymentPorts.forEach((name, port) -> {
			if (this.processes.get(name).isAlive()) {
				System.out.println("  " + name + "        http://127.0.0.1:" + port + "/actuator/health  (drain: curl -X POST "
						+ "http://127.0.0.1:" + port
						+ "/actuator/beacon -H 'Content-Type: application/json' -d '{\"status\":\"DRAINING\"}')");
			}
		});
		Thread.currentThread().join();
	}

	// --- server-side discovery: the gateway ------------------------------------

	/**
	 * The same calls through Spring Cloud Gateway (sample-gateway), which finds the services through
	 * Beacon: for callers that cannot use the starter.
	 */
	private void gatewayStep(int n) throws Exception {
		step(n, "Server-side discovery: the same calls through Spring Cloud Gateway");
		int gatewayPort = port(8090);
		start("gateway", "sample-gateway/target/sample-gateway.jar", gatewayPort, clientArgs());
		waitHealthy("gateway", gatewayPort);
		waitUntil("the gateway routes /order-service/**", Duration.ofSeconds(60),
				() -> gatewayPost(gatewayPort, "/order-service/orders", "{\"item\":\"book\",\"amount\":12.50}")
					.startsWith("201"));
		say("sample-gateway is an unmodified Spring Cloud Gateway with the starter: Beacon is its Spring Cloud");
		say("DiscoveryClient, so it has a route per service (/payment-service/**, /order-service/**), and");
		say("LoadBalancer's instance lists come from Beacon's pushes. It registered itself as 'gateway'.");
		say("curl -X POST http://127.0.0.1:" + gatewayPort + "/order-service/orders  (the call of step 3):");
		for (int i = 1; i <= 3; i++) {
			String answer = gatewayPost(gatewayPort, "/order-service/orders", "{\"item\":\"book\",\"amount\":12.50}");
			System.out.printf("    order %d through the gateway -> %s, paid by %s%n", i, answer.substring(0, 3),
					servedBy(answer));
		}
		say("and payment-service straight from the gateway, round-robin over its UP instances:");
		for (int i = 1; i <= 4; i++) {
			String answer = gatewayPost(gatewayPort, "/payment-service/payments",
					"{\"orderId\":\"gw-" + i + "\",\"amount\":12.50}");
			System.out.printf("    payment %d through the gateway -> %s, taken by %s%n", i, answer.substring(0, 3),
					servedBy(answer));
		}
	}

	/** Who served an answer of {@link #gatewayPost}: its JSON body's {@code servedBy}, or "-". */
	private static String servedBy(String answer) {
		if (!answer.startsWith("201 ")) {
			return "-";
		}
		JsonNode servedBy = json(answer.substring(4)).findValue("servedBy");
		return (servedBy != null) ? servedBy.asString() : "-";
	}

	/** POSTs JSON through the gateway: the status code, a space, and the body. */
	private String gatewayPost(int gatewayPort, String path, String json) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", "demo-" + System.nanoTime())
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
			return response.statusCode() + " " + response.body();
		}
		catch (IOException ex) {
			return "000 " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "000 interrupted";
		}
	}

	// --- any language: the sidecar ----------------------------------------------

	/**
	 * A payment-service replica in Python joins through the Beacon sidecar, takes orders, pays
	 * through the sidecar's proxy by service name, and drains when the sidecar gets SIGTERM.
	 */
	private void anyLanguage(int n) throws Exception {
		step(n, "Any language: a Python payment instance joins through the sidecar");
		Path app = ROOT.resolve("system-tests/src/test/resources/payment_app.py");
		String python = onPath("python3");
		if (python == null) {
			say("python3 is not installed here: skipping this step.");
			return;
		}
		int appPort = port(8085);
		int proxyPort = port(15001);
		String appId = "127.0.0.1:" + appPort;
		List<String> args = new ArrayList<>(List.of("--beacon.sidecar.service-name=payment-service",
				"--beacon.sidecar.app-port=" + appPort,
				"--beacon.sidecar.health-url=http://127.0.0.1:" + appPort + "/health",
				"--beacon.sidecar.probe-interval=500ms", "--beacon.sidecar.proxy-port=" + proxyPort,
				"--beacon.sidecar.drain-delay=1s", "--beacon.sidecar.metadata.language=python",
				"--beacon.client.registry-url=http://127.0.0.1:" + this.registryPort,
				"--beacon.client.lease-ttl=" + PAYMENT_LEASE.toSeconds() + "s"));
		List<String> command = List.of(python, app.toString(), "--port", Integer.toString(appPort));
		for (int i = 0; i < command.size(); i++) {
			args.add("--beacon.sidecar.command[" + i + "]=" + command.get(i));
		}
		start("sidecar", "beacon-sidecar/target/beacon-sidecar.jar", proxyPort, args);
		say("The sidecar runs " + ROOT.relativize(app) + " (Python, standard library only) on port " + appPort + ",");
		say("registers it as payment-service (STARTING), probes GET /health every 500 ms and reports it UP.");
		waitUntil(appId + " UP", Duration.ofSeconds(90), () -> "UP".equals(statusOf("payment-service", appId)));
		int before = count(appId);
		waitUntil(appId + " serving orders", Duration.ofSeconds(15), () -> count(appId) >= before + 5);
		say("order-service pays orders with it like with any Java instance (it cannot tell): " + count(appId)
				+ " so far.");
		String paid = post(appPort, "/relay/payments", "{\"orderId\":\"demo-relay\",\"amount\":5}");
		String by = "?";
		for (String id : knownPayments(appId)) {
			by = paid.contains("\"" + id + "\"") ? id : by;
		}
		say("The Python app calls others by name through the sidecar's proxy: POST http://127.0.0.1:" + proxyPort
				+ "/payment-service/payments was paid by " + by + ".");
		int failedBefore = this.failed.get();
		long termAt = System.nanoTime();
		Process sidecar = this.processes.get("sidecar");
		sidecar.destroy();
		say("Sent SIGTERM to the sidecar: it reports DRAINING, waits 1 s, deregisters, then sends the app SIGTERM.");
		waitUntil(appId + " deregistered", Duration.ofSeconds(30), () -> statusOf("payment-service", appId) == null);
		sidecar.waitFor(30, TimeUnit.SECONDS);
		say(String.format("The Python instance left %.1f s after SIGTERM; orders failed meanwhile: %d.", since(termAt),
				this.failed.get() - failedBefore));
	}

	private List<String> knownPayments(String pythonId) {
		List<String> ids = new ArrayList<>(List.of(pythonId));
		this.paymentPorts.values().forEach((port) -> ids.add("127.0.0.1:" + port));
		return ids;
	}

	private String post(int port, String path, String json) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	private static String onPath(String program) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, program);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

	// --- processes -------------------------------------------------------------

	private void startPayment(String name) throws IOException {
		int port = port(8081 + this.paymentPorts.size());
		this.paymentPorts.put(name, port);
		List<String> args = new ArrayList<>(clientArgs());
		args.add("--beacon.client.lease-ttl=" + PAYMENT_LEASE.toSeconds() + "s");
		args.add("--beacon.client.drain-delay=1s");
		start(name, "sample-payment-service/target/sample-payment-service.jar", port, args);
	}

	private List<String> clientArgs() {
		return List.of("--beacon.client.registry-url=http://127.0.0.1:" + this.registryPort,
				"--beacon.client.host=127.0.0.1", "--server.address=127.0.0.1");
	}

	private void start(String name, String jar, int port, List<String> appArgs) throws IOException {
		Path jarPath = ROOT.resolve(jar);
		if (!Files.isRegularFile(jarPath)) {
			throw new IllegalStateException(jar + " is missing: run ./demo.sh, which builds it");
		}
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-jar", jarPath.toString(), "--server.port=" + port,
				"--spring.main.banner-mode=off"));
		if (name.equals("registry")) {
			command.add("--server.address=127.0.0.1");
		}
		command.addAll(appArgs);
		File log = LOGS.resolve(name + ".log").toFile();
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log)
			.directory(ROOT.toFile())
			.start();
		this.processes.put(name, process);
		say(String.format("started %-10s pid %-7d port %d", name, process.pid(), port));
	}

	private void stopEverything() {
		this.orderTicker.shutdownNow();
		this.background.shutdownNow();
		List<Process> running = new ArrayList<>(this.processes.values());
		java.util.Collections.reverse(running);
		for (Process process : running) {
			if (process.isAlive()) {
				process.destroy();
			}
		}
		for (Process process : running) {
			try {
				if (!process.waitFor(15, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
			}
		}
	}

	private static String javaBinary() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/** The preferred port when it is free, else any free port. */
	private static int port(int preferred) throws IOException {
		try (ServerSocket socket = new ServerSocket(preferred, 1, java.net.InetAddress.getLoopbackAddress())) {
			return preferred;
		}
		catch (IOException busy) {
			try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
		}
	}

	private Map<String, Integer> apps() {
		Map<String, Integer> apps = new LinkedHashMap<>();
		apps.put("registry", this.registryPort);
		this.paymentPorts.forEach(apps::put);
		apps.put("order", this.orderPort);
		return apps;
	}

	// --- orders ----------------------------------------------------------------

	private String placeOrder() {
		this.sent.incrementAndGet();
		try {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.orderPort + "/orders"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"book\",\"amount\":12.50}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode servedBy = (response.statusCode() == 201) ? json(response.body()).findValue("servedBy") : null;
			String by = (servedBy != null) ? servedBy.asString() : null;
			if (response.statusCode() != 201 || by == null) {
				fail("HTTP " + response.statusCode() + ": " + response.body());
				return "FAILED (HTTP " + response.statusCode() + ")";
			}
			this.servedBy.computeIfAbsent(by, (k) -> new AtomicInteger()).incrementAndGet();
			return by;
		}
		catch (IOException ex) {
			fail(ex.toString());
			return "FAILED (" + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private synchronized void fail(String why) {
		this.failed.incrementAndGet();
		this.failures.add(elapsed() + " " + why);
		if (this.printEvents) {
			System.out.println("    [order] FAILED: " + why);
		}
	}

	private void startOrderFlow() {
		this.orderTicker.scheduleAtFixedRate(() -> {
			if (this.sent.get() < MAX_ORDERS) {
				placeOrder();
			}
		}, 0, 50, TimeUnit.MILLISECONDS);
	}

	private void stopOrderFlow() throws InterruptedException {
		this.orderTicker.shutdown();
		this.orderTicker.awaitTermination(15, TimeUnit.SECONDS);
	}

	private int count(String instanceId) {
		AtomicInteger n = this.servedBy.get(instanceId);
		return (n != null) ? n.get() : 0;
	}

	// --- the registry ------------------------------------------------------------

	/** Prints the registry's pushes about payment-service as they arrive. */
	private void openWatch() {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.registryPort + "/v1/watch?service=payment-service"))
			.header("Accept", "text/event-stream")
			.build();
		this.background.submit(() -> {
			try {
				this.http.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach((line) -> {
					if (this.printEvents && line.startsWith("data:")) {
						printChange(json(line.substring("data:".length())));
					}
				});
			}
			catch (IOException | InterruptedException ex) {
				// the registry stopped, or the demo is ending
			}
			return null;
		});
	}

	/** One pushed change, if it is one (the snapshot's data has no {@code type}). */
	private void printChange(JsonNode event) {
		if (event.has("type")) {
			JsonNode instance = event.path("instance");
			System.out.printf("    [push %s] %-12s %-18s %-9s (%s)%n", elapsed(), text(event, "type"),
					text(instance, "instanceId"), text(instance, "status"), text(event, "cause"));
		}
	}

	private List<String> upPayments() {
		List<String> ids = new ArrayList<>();
		for (JsonNode instance : getJson(this.registryPort, "/v1/services/payment-service").path("instances")) {
			ids.add(text(instance, "instanceId"));
		}
		return ids;
	}

	private String statusOf(String service, String instanceId) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.registryPort + "/v1/services/" + service
						+ "/instances/" + instanceId))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? text(json(response.body()), "status") : null;
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException("the registry did not answer: " + ex.getMessage());
		}
	}

	private JsonNode getJson(int port, String path) {
		return json(get(port, path));
	}

	private String get(int port, String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void waitHealthy(String name, int port) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			Process process = this.processes.get(name);
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited (code " + process.exitValue() + "); see "
						+ ROOT.relativize(LOGS.resolve(name + ".log")));
			}
			try {
				if ("UP".equals(text(getJson(port, "/actuator/health"), "status"))) {
					return;
				}
			}
			catch (RuntimeException notYet) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(name + " was not healthy within 90 s");
	}

	private void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("timed out waiting until " + what);
			}
			Thread.sleep(50);
		}
	}

	// --- output ----------------------------------------------------------------

	private static void banner(String text) {
		System.out.println();
		System.out.println("=".repeat(text.length() + 4));
		System.out.println("  " + text);
		System.out.println("=".repeat(text.length() + 4));
	}

	private void step(int n, String title) {
		System.out.println();
		System.out.println("[" + elapsed() + "] Step " + n + ": " + title);
		System.out.println("-".repeat(title.length() + 20));
	}

	private static void say(String text) {
		System.out.println("  " + text);
	}

	private String elapsed() {
		return String.format("%5.1fs", since(this.started));
	}

	private static double since(long nanos) {
		return (System.nanoTime() - nanos) / 1e9;
	}

	private static void pause(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	// --- JSON ------------------------------------------------------------------

	/** Parses a JSON answer; text that is not JSON is an error the demo reports. */
	private static JsonNode json(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("not a JSON answer: " + text, ex);
		}
	}

	/** A field's text, or {@code null} when the object has no such field. */
	private static String text(JsonNode object, String field) {
		JsonNode value = object.get(field);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

}
