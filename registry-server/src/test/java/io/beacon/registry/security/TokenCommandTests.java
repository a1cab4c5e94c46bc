package io.beacon.registry.security;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandTests {

	@Test
	void printsARandomTokenItsHashAndTheSettingsForTheRegistry() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int exit = TokenCommand.run(new String[] { "token", "--name", "payment", "--services", "payment-*" },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
		String text = out.toString(StandardCharsets.UTF_8);
		assertThat(exit).isZero();
		Matcher token = Pattern.compile("token:  ([A-Za-z0-9_-]{43})").matcher(text);
		assertThat(token.find()).isTrue();
		String hash = TokenStore.sha256Hex(token.group(1));
		assertThat(text).contains("sha256: " + hash, "  - name: payment", "    sha256: " + hash,
				"    roles: [read, register]", "    services: [\"payment-*\"]");
	}

	@Test
	void twoRunsMakeDifferentTokens() {
		ByteArrayOutputStream first = new ByteArrayOutputStream();
		ByteArrayOutputStream second = new ByteArrayOutputStream();
		TokenCommand.run(new String[] { "token", "--name", "a" }, new PrintStream(first), System.err);
		TokenCommand.run(new String[] { "token", "--name", "a" }, new PrintStream(second), System.err);
		assertThat(first.toString()).isNotEqualTo(second.toString());
	}

	@Test
	void anUnknownRoleOrAMissingNameIsAUsageError() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		assertThat(TokenCommand.run(new String[] { "token", "--name", "a", "--roles", "root" },
				new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)))
			.isEqualTo(2);
		assertThat(err.toString()).contains("Unknown role 'root'");
		assertThat(TokenCommand.run(new String[] { "token" }, new PrintStream(new ByteArrayOutputStream()),
				new PrintStream(err)))
			.isEqualTo(2);
	}

}
