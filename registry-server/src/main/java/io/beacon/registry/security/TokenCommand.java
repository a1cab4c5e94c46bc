package io.beacon.registry.security;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar registry-server-exec.jar token --name payment [--roles read,register]
 * [--services payment-service]}: makes a random token and prints it with its SHA-256 and the
 * settings to give the registry. The token is printed once, to standard output, for the operator
 * to hand to the service; the registry only ever holds the hash.
 */
public final class TokenCommand {

	/** 32 random bytes: 256 bits, which no rate of guessing reaches. */
	private static final int TOKEN_BYTES = 32;

	private TokenCommand() {
	}

	/**
	 * @return the process exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		Map<String, String> options = new LinkedHashMap<>(Map.of("--roles", "read,register", "--services", "*"));
		for (int i = 1; i < args.length; i++) {
			String option = args[i];
			if (!option.equals("--name") && !option.equals("--roles") && !option.equals("--services")
					|| i + 1 >= args.length) {
				err.println("Usage: token --name <name> [--roles read,register,admin] [--services a,b-*]");
				return 2;
			}
			options.put(option, args[++i]);
		}
		String name = options.get("--name");
		if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
			err.println("--name is required: 1 to 64 letters, digits, '.', '_' or '-'");
			return 2;
		}
		for (String role : options.get("--roles").split(",")) {
			try {
				Role.valueOf(role.trim().toUpperCase(java.util.Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				err.println("Unknown role '" + role + "': use read, register or admin");
				return 2;
			}
		}
		String token = newToken(new SecureRandom());
		out.println("token:  " + token);
		out.println("sha256: " + TokenStore.sha256Hex(token));
		out.println();
		out.println("Give the token to the service (beacon.client.token, or BEACON_CLIENT_TOKEN),");
		out.println("and this to the registry:");
		out.println();
		out.println("beacon.registry.security.tokens:");
		out.println("  - name: " + name);
		out.println("    sha256: " + TokenStore.sha256Hex(token));
		out.println("    roles: [" + options.get("--roles").replace(",", ", ") + "]");
		out.println("    services: [\"" + options.get("--services").replace(",", "\", \"") + "\"]");
		return 0;
	}

	static String newToken(SecureRandom random) {
		byte[] bytes = new byte[TOKEN_BYTES];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
