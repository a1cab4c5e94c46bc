package io.beacon.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd cluster of three members started from the installed binary on loopback, each on free
 * ports with its data under target/. Skipped when etcd is missing, unless BEACON_REQUIRE_TOOLS=1.
 */
final class EtcdMembers implements AutoCloseable {

	private static final Path BINARY = Path.of(System.getenv().getOrDefault("BEACON_ETCD", "/usr/bin/etcd"));

	private final List<Integer> clientPorts = new ArrayList<>();

	private final List<Integer> peerPorts = new ArrayList<>();

	private final Process[] processes;

	private final boolean[] started;

	private final Path dir;

	EtcdMembers(int size) {
		if (!Files.isExecutable(BINARY)) {
			if ("1".equals(System.getenv("BEACON_REQUIRE_TOOLS"))) {
				throw new IllegalStateException("etcd is required (BEACON_REQUIRE_TOOLS=1) but " + BINARY
						+ " is missing: install the etcd-server package");
			}
			Assumptions.abort("etcd is not installed at " + BINARY);
		}
		this.processes = new Process[size];
		this.started = new boolean[size];
		try {
			this.dir = Files.createTempDirectory(AppProcess.LOGS.getParent(), "etcd");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (int i = 0; i < size; i++) {
			this.clientPorts.add(AppProcess.freePort());
			this.peerPorts.add(AppProcess.freePort());
		}
		for (int i = 0; i < size; i++) {
			start(i);
		}
	}

	/** Comma-separated client URLs of every member. */
	String endpoints() {
		return String.join(",", this.clientPorts.stream().map((port) -> "http://127.0.0.1:" + port).toList());
	}

	void start(int i) {
		List<String> cluster = new ArrayList<>();
		for (int m = 0; m < this.peerPorts.size(); m++) {
			cluster.add("e" + m + "=http://127.0.0.1:" + this.peerPorts.get(m));
		}
		String client = "http://127.0.0.1:" + this.clientPorts.get(i);
		String peer = "http://127.0.0.1:" + this.peerPorts.get(i);
		try {
			this.processes[i] = new ProcessBuilder(BINARY.toString(), "--name", "e" + i, "--data-dir",
					this.dir.resolve("e" + i).toString(), "--listen-client-urls", client, "--advertise-client-urls",
					client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
					String.join(",", cluster), "--initial-cluster-state", this.started[i] ? "existing" : "new",
					"--log-level", "warn")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("e" + i + ".log").toFile()))
				.start();
			this.started[i] = true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether member {@code i} answers its health check. */
	boolean healthy(int i) {
		try {
			return Http.get(this.clientPorts.get(i), "/health").body().contains("\"health\":\"true\"");
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/** SIGKILL of member {@code i}. */
	void kill(int i) throws InterruptedException {
		if (this.processes[i] != null) {
			this.processes[i].destroyForcibly();
			this.processes[i].waitFor(10, TimeUnit.SECONDS);
			this.processes[i] = null;
		}
	}

	@Override
	public void close() throws InterruptedException {
		for (int i = 0; i < this.processes.length; i++) {
			kill(i);
		}
	}

}
