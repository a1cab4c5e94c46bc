package io.beacon.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real Prometheus server (Debian's {@code /usr/bin/prometheus}) on loopback, with its
 * configuration and storage in a temporary directory that is deleted when it stops. Tests using it
 * are skipped when it is not installed, unless {@code BEACON_REQUIRE_TOOLS=1} makes that a failure.
 */
final class PrometheusProcess implements AutoCloseable {

	static final Path BINARY = Path.of("/usr/bin/prometheus");

	private final int port;

	private final Path directory;

	private final Process process;

	private PrometheusProcess(int port, Path directory, Process process) {
		this.port = port;
		this.directory = directory;
		this.process = process;
	}

	/** Skips the calling test when Prometheus is missing, or fails it when tools are required. */
	static void assumeInstalled() {
		boolean present = Files.isExecutable(BINARY);
		if ("1".equals(System.getenv("BEACON_REQUIRE_TOOLS"))) {
			assertThat(present).as("BEACON_REQUIRE_TOOLS=1 but " + BINARY + " is missing (Debian package prometheus)")
				.isTrue();
		}
		assumeTrue(present, BINARY + " is not installed (Debian package prometheus)");
	}

	/** Starts Prometheus with the given prometheus.yml. */
	static PrometheusProcess start(String configYaml) {
		try {
			Path directory = Files.createTempDirectory("beacon-prometheus-");
			Path config = Files.writeString(directory.resolve("prometheus.yml"), configYaml);
			int port = AppProcess.freePort();
			Files.createDirectories(AppProcess.LOGS);
			Process process = new ProcessBuilder(List.of(BINARY.toString(), "--config.file=" + config,
					"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
					"--storage.tsdb.retention.time=1h", "--log.level=info"))
				.redirectErrorStream(true)
				.redirectOutput(AppProcess.LOGS.resolve("prometheus.log").toFile())
				.start();
			return new PrometheusProcess(port, directory, process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() throws InterruptedException, IOException {
		this.process.destroy();
		if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(5, TimeUnit.SECONDS);
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

}
