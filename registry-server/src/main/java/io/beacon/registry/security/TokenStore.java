package io.beacon.registry.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured tokens, held as SHA-256 hashes. A presented token is hashed and compared with
 * every configured hash in constant time, without stopping at a match, so the time taken says
 * nothing about which token (if any) matched. Error messages name a token by its position and
 * name, never by its hash.
 */
public final class TokenStore {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TokenStore::newDigest);

	private final Entry[] entries;

	private final Refusals refusals;

	/**
	 * @throws IllegalArgumentException naming the first token whose settings are invalid
	 */
	public TokenStore(List<TokenSpec> specs, Refusals refusals) {
		this.refusals = refusals;
		List<Entry> entries = new ArrayList<>();
		Set<String> names = new HashSet<>();
		Set<String> hashes = new HashSet<>();
		for (int i = 0; i < specs.size(); i++) {
			TokenSpec spec = specs.get(i);
			String where = "beacon.registry.security.tokens[" + i + "]";
			if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
				throw new IllegalArgumentException(where + ".name must be 1 to 64 letters, digits, '.', '_' or '-'");
			}
			where = where + " ('" + spec.name() + "')";
			if (!names.add(spec.name())) {
				throw new IllegalArgumentException(where + ": another token has the same name");
			}
			if (spec.sha256() == null || !HEX_SHA256.matcher(spec.sha256()).matches()) {
				throw new IllegalArgumentException(where
						+ ".sha256 must be 64 hex digits: the SHA-256 of the token (see 'token' in the README)");
			}
			if (!hashes.add(spec.sha256().toLowerCase(java.util.Locale.ROOT))) {
				throw new IllegalArgumentException(where + ".sha256 is the same as another token's");
			}
			if (spec.roles() == null || spec.roles().isEmpty()) {
				throw new IllegalArgumentException(where + ".roles must name at least one of read, register, admin");
			}
			List<String> services = (spec.services() == null || spec.services().isEmpty()) ? List.of("*")
					: spec.services();
			for (String service : services) {
				if (service == null || service.isBlank()) {
					throw new IllegalArgumentException(where + ".services must not contain blank names");
				}
			}
			Caller caller = new Caller(spec.name(), Set.copyOf(EnumSet.copyOf(spec.roles())),
					new ServicePatterns(services), refusals, true);
			entries.add(new Entry(HexFormat.of().parseHex(spec.sha256()), caller));
		}
		this.entries = entries.toArray(new Entry[0]);
	}

	public int size() {
		return this.entries.length;
	}

	Refusals refusals() {
		return this.refusals;
	}

	/**
	 * The caller a token belongs to, or {@code null} when it matches none.
	 */
	Caller find(String token) {
		byte[] hash = sha256(token);
		Caller found = null;
		for (Entry entry : this.entries) {
			// Every entry is compared, and MessageDigest.isEqual takes the same time whatever the bytes.
			if (MessageDigest.isEqual(hash, entry.hash)) {
				found = entry.caller;
			}
		}
		return found;
	}

	/** The SHA-256 of a token's UTF-8 bytes, in lower-case hex: what the settings hold. */
	public static String sha256Hex(String token) {
		return HexFormat.of().formatHex(sha256(token));
	}

	private static byte[] sha256(String token) {
		MessageDigest digest = SHA256.get();
		digest.reset();
		return digest.digest(token.getBytes(StandardCharsets.UTF_8));
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	private record Entry(byte[] hash, Caller caller) {
	}

}
