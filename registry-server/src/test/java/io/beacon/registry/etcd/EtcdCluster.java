package io.beacon.registry.etcd;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A real etcd cluster of one or more members, started from the installed binary on loopback with
 * free ports in temporary directories. Tests that need it are skipped when etcd is not installed,
 * unless {@code BEACON_REQUIRE_TOOLS=1} (CI), where they fail.
 */
public final class EtcdCluster implements AutoCloseable {

	private static final Path BINARY = Path.of(System.getenv().getOrDefault("BEACON_ETCD", "/usr/bin/etcd"));

	private final Path dataDir;

	private final List<Member> members = new ArrayList<>();

	private EtcdCluster(Path dataDir) {
		this.dataDir = dataDir;
	}

	/** Starts {@code size} members and waits until all answer their health check. */
	public static EtcdCluster start(int size) throws IOException {
		if (!Files.isExecutable(BINARY)) {
			if ("1".equals(System.getenv("BEACON_REQUIRE_TOOLS"))) {
				throw new IllegalStateException("etcd is required (BEACON_REQUIRE_TOOLS=1) but " + BINARY
						+ " is missing: install the etcd-server package");
			}
			Assumptions.abort("etcd is not installed at " + BINARY);
		}
		EtcdCluster cluster = new EtcdCluster(Files.createTempDirectory("beacon-etcd"));
		StringBuilder initial = new StringBuilder();
		for (int i = 0; i < size; i++) {
			Member member = new Member("m" + i, freePort(), freePort());
			cluster.members.add(member);
			initial.append((i > 0) ? "," : "").append(member.name).append("=").append(member.peerUrl());
		}
		for (Member member : cluster.members) {
			member.initialCluster = initial.toString();
			member.start(cluster.dataDir);
		}
		cluster.awaitHealthy();
		return cluster;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	void awaitHealthy() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
			for (Member member : this.members) {
				if (member.process == null) {
					continue;
				}
				HttpResponse<String> health = http.send(
						HttpRequest.newBuilder(URI.create(member.clientUrl() + "/health")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (!health.body().contains("\"health\":\"true\"")) {
					return false;
				}
			}
			return true;
		});
	}

	/** The client URLs of all members. */
	public List<String> endpoints() {
		return this.members.stream().map(Member::clientUrl).toList();
	}

	/** Kills member {@code index} at once (SIGKILL). */
	public void kill(int index) {
		this.members.get(index).kill();
	}

	/** Starts member {@code index} again on its data directory. */
	public void restart(int index) throws IOException {
		this.members.get(index).restart(this.dataDir);
	}

	@Override
	public void close() throws IOException {
		for (Member member : this.members) {
			member.kill();
		}
		try (Stream<Path> files = Files.walk(this.dataDir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	private static final class Member {

		private final String name;

		private final int clientPort;

		private final int peerPort;

		private String initialCluster;

		private Process process;

		private boolean started;

		Member(String name, int clientPort, int peerPort) {
			this.name = name;
			this.clientPort = clientPort;
			this.peerPort = peerPort;
		}

		String clientUrl() {
			return "http://127.0.0.1:" + this.clientPort;
		}

		String peerUrl() {
			return "http://127.0.0.1:" + this.peerPort;
		}

		void start(Path dataDir) throws IOException {
			List<String> command = List.of(BINARY.toString(), "--name", this.name, "--data-dir",
					dataDir.resolve(this.name).toString(), "--listen-client-urls", clientUrl(),
					"--advertise-client-urls", clientUrl(), "--listen-peer-urls", peerUrl(),
					"--initial-advertise-peer-urls", peerUrl(), "--initial-cluster", this.initialCluster,
					"--initial-cluster-state", this.started ? "existing" : "new", "--log-level", "error");
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(dataDir.resolve(this.name + ".log").toFile())
				.start();
			this.started = true;
		}

		void restart(Path dataDir) throws IOException {
			kill();
			start(dataDir);
		}

		void kill() {
			if (this.process != null) {
				this.process.destroyForcibly();
				try {
					this.process.waitFor();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				this.process = null;
			}
		}

	}

}
