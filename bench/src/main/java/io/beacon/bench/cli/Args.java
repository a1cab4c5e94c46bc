package io.beacon.bench.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of a bench tool, each checked against its bounds: the tools only
 * ever talk to loopback and every load they make is bounded, so an option out of range ends the
 * tool with a message (exit code 2) rather than a long or stray run.
 */
public final class Args {

	private final String usage;

	private final Map<String, String> values = new HashMap<>();

	private Args(String usage) {
		this.usage = usage;
	}

	/** Parses {@code --name value} pairs; a name outside {@code known} is an error. */
	public static Args parse(String[] args, String usage, Set<String> known) {
		Args parsed = new Args(usage);
		for (int i = 0; i < args.length; i += 2) {
			String name = args[i].startsWith("--") ? args[i].substring(2) : null;
			if (name == null || !known.contains(name) || i + 1 >= args.length) {
				parsed.fail("unexpected argument '" + args[i] + "'");
			}
			parsed.values.put(name, args[i + 1]);
		}
		return parsed;
	}

	public String text(String name, String fallback) {
		return this.values.getOrDefault(name, fallback);
	}

	public String optional(String name) {
		return this.values.get(name);
	}

	public int integer(String name, int fallback, int min, int max) {
		String raw = this.values.get(name);
		int value = fallback;
		if (raw != null) {
			try {
				value = Integer.parseInt(raw);
			}
			catch (NumberFormatException ex) {
				fail("--" + name + " must be a whole number, got '" + raw + "'");
			}
		}
		if (value < min || value > max) {
			fail("--" + name + " must be " + min + "-" + max + ", got " + value);
		}
		return value;
	}

	public double decimal(String name, double fallback, double minExclusive, double max) {
		String raw = this.values.get(name);
		double value = fallback;
		if (raw != null) {
			try {
				value = Double.parseDouble(raw);
			}
			catch (NumberFormatException ex) {
				fail("--" + name + " must be a number, got '" + raw + "'");
			}
		}
		if (!(value > minExclusive && value <= max)) {
			fail("--" + name + " must be in (" + minExclusive + ", " + max + "], got " + value);
		}
		return value;
	}

	/** A base URL that must be plain HTTP on a loopback address. */
	public URI loopbackBase(String name, String fallback) {
		return loopback(name, text(name, fallback));
	}

	/** A comma-separated list of base URLs (at most 16), each plain HTTP on a loopback address. */
	public List<URI> loopbackBases(String name, String fallback) {
		List<URI> bases = new ArrayList<>();
		for (String part : text(name, fallback).split(",")) {
			if (!part.isBlank()) {
				bases.add(loopback(name, part.strip()));
			}
		}
		if (bases.isEmpty() || bases.size() > 16) {
			fail("--" + name + " must list 1-16 URLs, got " + bases.size());
		}
		return bases;
	}

	private URI loopback(String name, String text) {
		URI base = null;
		try {
			base = URI.create(text);
		}
		catch (IllegalArgumentException ex) {
			fail("--" + name + " must be loopback http URLs, got '" + text + "'");
		}
		String host = base.getHost();
		boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
		if (!"http".equals(base.getScheme()) || !loopback || base.getPort() < 1) {
			fail("--" + name + " must be a loopback http URL with a port, got " + base);
		}
		return base;
	}

	/** Ends the tool with exit code 2 and the usage line. */
	public void fail(String message) {
		System.err.println(message);
		System.err.println("usage: " + this.usage);
		System.exit(2);
	}

}
