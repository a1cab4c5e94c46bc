package io.beacon.systemtest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input suite again, against a registry with security on: every hostile request sent
 * with an admin token (so it reaches the checks behind the access check) is refused as before; the
 * same requests with no token, an unknown token or a read-only token are all refused with a 4xx;
 * and nothing changes.
 */
class SecuredHostileInputIT extends HostileInputIT {

	static final String ADMIN = "hostile-admin-Tok3n";

	static final String READER = "hostile-reader-Tok3n";

	@Override
	List<String> registryArguments() {
		return List.of("--beacon.registry.security.enabled=true", "--beacon.registry.security.bad-token-limit=1000",
				"--beacon.registry.security.tokens[0].name=admin",
				"--beacon.registry.security.tokens[0].sha256=" + SecurityIT.sha256(ADMIN),
				"--beacon.registry.security.tokens[0].roles=admin",
				"--beacon.registry.security.tokens[1].name=reader",
				"--beacon.registry.security.tokens[1].sha256=" + SecurityIT.sha256(READER),
				"--beacon.registry.security.tokens[1].roles=read");
	}

	@Override
	String token() {
		return ADMIN;
	}

	@ParameterizedTest(name = "token: {0}")
	@ValueSource(strings = { "none", "unknown-Tok3n", READER })
	void everyHostileRequestWithoutAWriteTokenIsRefusedAndChangesNothing(String token) throws Exception {
		String before = state();
		Map<String, Integer> byOutcome = new TreeMap<>();
		List<String> wrong = sendAll(token.equals("none") ? null : token, byOutcome);
		System.out.println("[system-test] hostile input, security on, token " + token + ": " + cases().size()
				+ " requests, outcomes " + byOutcome);
		assertThat(wrong).as("requests not refused as they should be").isEmpty();
		assertThat(state()).as("registry state after the hostile requests").isEqualTo(before);
	}

}
