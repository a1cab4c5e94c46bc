package io.beacon.registry.http;

/**
 * Client text made safe to repeat in a problem body or a log line: cut short, control characters
 * and lone surrogates escaped, so hostile input cannot forge or flood either.
 */
public final class ClientText {

	private static final int DEFAULT_MAX = 64;

	private ClientText() {
	}

	/** The text in single quotes, at most 64 characters of it, or {@code null} spelled out. */
	public static String quote(String text) {
		return (text == null) ? "null" : "'" + printable(text) + "'";
	}

	/** At most 64 characters of the text, control characters escaped. */
	public static String printable(String text) {
		return printable(text, DEFAULT_MAX);
	}

	/** At most {@code max} characters of the text, control characters escaped. */
	public static String printable(String text, int max) {
		StringBuilder out = new StringBuilder();
		int limit = Math.min(text.length(), max);
		for (int i = 0; i < limit; i++) {
			char c = text.charAt(i);
			if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		if (text.length() > limit) {
			out.append("...");
		}
		return out.toString();
	}

}
