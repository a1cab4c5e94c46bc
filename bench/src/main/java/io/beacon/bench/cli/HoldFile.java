package io.beacon.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The hand-over between a benchmark script and a tool that holds connections open while the script
 * measures the server: the tool waits until the script creates a file.
 */
public final class HoldFile {

	private HoldFile() {
	}

	/** Waits until {@code file} exists, at most {@code maxSeconds}; prints {@code hold_ended=file|timeout}. */
	public static void await(Path file, int maxSeconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
		while (!Files.exists(file) && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		System.out.println("hold_ended=" + (Files.exists(file) ? "file" : "timeout"));
	}

}
