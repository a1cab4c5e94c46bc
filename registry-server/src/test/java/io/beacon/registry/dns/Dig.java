package io.beacon.registry.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real {@code dig} (Debian's bind9-dnsutils) against a port on 127.0.0.1. Tests that use it
 * are skipped when it is missing, unless BEACON_REQUIRE_TOOLS=1 (CI sets it) makes that a failure.
 */
final class Dig {

	private static final Path DIG = Path.of("/usr/bin/dig");

	private final int port;

	Dig(int port) {
		this.port = port;
	}

	/** Skips the calling test when dig is missing, or fails it when tools are required. */
	static void assumeInstalled() {
		if (!Files.isExecutable(DIG)) {
			assertThat(System.getenv("BEACON_REQUIRE_TOOLS")).as(
					"dig is required (BEACON_REQUIRE_TOOLS=1) but %s is missing: install bind9-dnsutils", DIG)
				.isNotEqualTo("1");
			Assumptions.abort("dig is not installed (Debian package bind9-dnsutils); .ci/run installs it");
		}
	}

	/** dig's whole output for a query, with the given extra options. */
	String run(String name, String type, String... options) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(DIG.toString(), "@127.0.0.1", "-p", Integer.toString(this.port),
				"+time=5", "+tries=2"));
		command.addAll(List.of(options));
		command.add(name);
		command.add(type);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("dig did not finish: " + command);
			}
			return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		finally {
			process.destroyForcibly();
		}
	}

	/** The answer section, one "type rdata" per line, such as "A 127.0.0.1". */
	List<String> answers(String name, String type, String... options) throws IOException, InterruptedException {
		List<String> all = new ArrayList<>(List.of(options));
		all.addAll(List.of("+noall", "+answer"));
		return records(run(name, type, all.toArray(String[]::new)));
	}

	/** The records in dig output, one "type rdata" per line. */
	static List<String> records(String output) {
		return parse(output, false);
	}

	/** Owner name, type and rdata of each record, such as "7f000001.addr.beacon. A 127.0.0.1". */
	static List<String> namedRecords(String output) {
		return parse(output, true);
	}

	private static List<String> parse(String output, boolean withName) {
		List<String> records = new ArrayList<>();
		for (String line : output.split("\n")) {
			if (line.isBlank() || line.startsWith(";")) {
				continue;
			}
			String[] fields = line.trim().split("\\s+", 5);
			records.add((withName ? fields[0] + " " : "") + fields[3] + " " + fields[4]);
		}
		return records;
	}

}
