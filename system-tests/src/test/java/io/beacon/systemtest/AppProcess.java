package io.beacon.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One application started as its own JVM on 127.0.0.1, with a small heap, its output in
 * target/system-tests/&lt;name&gt;.log. Killing it is a real SIGKILL; stopping it is a SIGTERM.
 */
final class AppProcess implements AutoCloseable {

	static final Path ROOT = Path.of(System.getProperty("beacon.root", "..")).toAbsolutePath().normalize();

	static final Path LOGS = ROOT.resolve("system-tests/target/system-tests");

	static final String REGISTRY_JAR = "registry-server/target/registry-server-exec.jar";

	static final String PAYMENT_JAR = "sample-payment-service/target/sample-payment-service.jar";

	static final String ORDER_JAR = "sample-order-service/target/sample-order-service.jar";

	static final String SIDECAR_JAR = "beacon-sidecar/target/beacon-sidecar.jar";

	private final String name;

	private final int port;

	private final Process process;

	private AppProcess(String name, int port, Process process) {
		this.name = name;
		this.port = port;
		this.process = process;
	}

	static AppProcess start(String name, String jar, int port, List<String> args) {
		return start(name, jar, port, args, false);
	}

	/**
	 * @param background start at a lower CPU priority (nice 10): a JVM starting up on a 2-core machine
	 * must not starve the processes already serving the load a test measures
	 */
	static AppProcess start(String name, String jar, int port, List<String> args, boolean background) {
		Path jarPath = ROOT.resolve(jar);
		if (!Files.isRegularFile(jarPath)) {
			throw new IllegalStateException(jarPath + " is missing: build with ./mvnw package first");
		}
		List<String> command = new ArrayList<>();
		if (background && Files.isExecutable(Path.of("/usr/bin/nice"))) {
			command.addAll(List.of("/usr/bin/nice", "-n", "10"));
		}
		command.addAll(List.of(javaBinary(), "-Xmx160m", "-Xss512k", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-jar", jarPath.toString(),
				"--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
		command.addAll(args);
		try {
			Files.createDirectories(LOGS);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(LOGS.resolve(name + ".log").toFile())
				.directory(ROOT.toFile())
				.start();
			return new AppProcess(name, port, process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static AppProcess registry(int port, String... extra) {
		List<String> args = new ArrayList<>(List.of("--beacon.registry.lease-check-interval=100ms"));
		args.addAll(List.of(extra));
		return start("registry-" + port, REGISTRY_JAR, port, args);
	}

	/** @param extra more arguments, e.g. {@code --beacon.client.lease-stream.enabled=false} */
	static AppProcess payment(String name, int port, int registryPort, boolean background, String... extra) {
		List<String> args = new ArrayList<>(clientArgs(registryPort));
		args.addAll(List.of(extra));
		return start(name, PAYMENT_JAR, port, args, background);
	}

	static AppProcess order(int port, int registryPort) {
		return start("order", ORDER_JAR, port, clientArgs(registryPort));
	}

	/**
	 * What every sample gets: the registry, a short lease and drain so tests stay quick. No
	 * beacon.client.host, as users run it: bound to 127.0.0.1, a sample registers 127.0.0.1.
	 */
	static List<String> clientArgs(int registryPort) {
		return clientArgs("http://127.0.0.1:" + registryPort);
	}

	/** As {@link #clientArgs(int)}, with registry URLs given (comma-separated, e.g. replicas). */
	static List<String> clientArgs(String registryUrls) {
		return List.of("--beacon.client.registry-url=" + registryUrls,
				"--beacon.client.lease-ttl=3s", "--beacon.client.drain-delay=1s");
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	/** Its id in the registry: the samples register as host:port. */
	String instanceId() {
		return "127.0.0.1:" + this.port;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Waits until its health answers UP; fails at once when it exits instead (its log says why). */
	void awaitHealthy() {
		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!isAlive()) {
				throw new IllegalStateException(name() + " exited; see " + LOGS);
			}
			return Http.healthy(port());
		});
	}

	/** SIGKILL: no shutdown hook runs, nothing is deregistered. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/** SIGSTOP: the JVM hangs with its sockets open, as a hung process does. */
	void pause() {
		signal("STOP");
	}

	/** SIGCONT after {@link #pause()}. */
	void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + this.process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** SIGTERM, and wait for the JVM to exit. */
	void terminate(Duration wait) throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException(this.name + " did not exit within " + wait + " of SIGTERM");
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String javaBinary() {
		return ProcessHandle.current().info().command().orElse("java");
	}

}
