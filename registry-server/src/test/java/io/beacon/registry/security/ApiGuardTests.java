package io.beacon.registry.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.beacon.registry.core.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ApiGuardTests {

	private static final String READER = "reader-token";

	private static final String PAYMENT = "payment-token";

	private static final String ADMIN = "admin-token";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ApiGuard guard = ApiGuard.of(new TokenStore(List.of(
			new TokenSpec("reader", TokenStore.sha256Hex(READER), Set.of(Role.READ), List.of()),
			new TokenSpec("payment", TokenStore.sha256Hex(PAYMENT), Set.of(Role.REGISTER), List.of("payment-*")),
			new TokenSpec("admin", TokenStore.sha256Hex(ADMIN), Set.of(Role.ADMIN), List.of())),
			new Refusals(this.meters)), this.clock, 3, Duration.ofMinutes(1));

	@ParameterizedTest(name = "{0} {1} {2} -> {3}")
	@CsvSource({
			// token, operation, service, expected: "ok" or the refusal
			"reader-token, READ, , ok", "reader-token, IDENTIFY, , ok", "reader-token, WRITE, payment-a, ROLE",
			"reader-token, ADMIN, , ROLE", "payment-token, READ, , ROLE", "payment-token, IDENTIFY, , ok",
			"payment-token, WRITE, payment-a, ok", "payment-token, WRITE, order-a, SERVICE",
			"payment-token, ADMIN, , ROLE", "admin-token, READ, , ok", "admin-token, IDENTIFY, , ok",
			"admin-token, WRITE, order-a, ok", "admin-token, ADMIN, , ok" })
	void eachRoleIsAdmittedExactlyToItsOperations(String token, Operation operation, String service,
			String expected) {
		Request request = new Request(List.of("Bearer " + token), null, service);
		if (expected.equals("ok")) {
			assertThat(this.guard.admit(operation, request).identified()).isTrue();
		}
		else {
			AccessRefusedException refused = catchThrowableOfType(AccessRefusedException.class,
					() -> this.guard.admit(operation, request));
			assertThat(refused.getReason()).isEqualTo(Refusal.valueOf(expected));
			assertThat(refused.getStatus()).isEqualTo(403);
			assertThat(refused.getMissing()).isNotBlank();
		}
	}

	@Test
	void aMissingRoleIsNamedInTheRefusal() {
		AccessRefusedException refused = catchThrowableOfType(AccessRefusedException.class,
				() -> this.guard.admit(Operation.WRITE, new Request(List.of("Bearer " + READER), null, "payment-a")));
		assertThat(refused.getMissing()).isEqualTo("role register");
		assertThat(refused.getMessage()).contains("'reader'", "'register'");
	}

	@Test
	void aServiceOutsideTheTokensGlobsIsNamedInTheRefusal() {
		AccessRefusedException refused = catchThrowableOfType(AccessRefusedException.class,
				() -> this.guard.admit(Operation.WRITE, new Request(List.of("Bearer " + PAYMENT), null, "orders")));
		assertThat(refused.getMissing()).isEqualTo("service orders");
		assertThat(refused.getMessage()).contains("[payment-*]");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "no header||MISSING_CREDENTIALS", "lower-case scheme|bearer reader-token|MALFORMED_CREDENTIALS",
			"basic scheme|Basic cmVhZGVyOnB3|MALFORMED_CREDENTIALS", "empty token|Bearer |MALFORMED_CREDENTIALS",
			"two words|Bearer reader-token x|MALFORMED_CREDENTIALS", "unknown token|Bearer not-a-token|UNKNOWN_TOKEN",
			"token with a space before|Bearer  reader-token|MALFORMED_CREDENTIALS" })
	void credentialsThatAreNotExactlyOneKnownBearerTokenAre401(String label, String header, Refusal reason) {
		List<String> headers = (header == null) ? List.of() : List.of(header);
		AccessRefusedException refused = catchThrowableOfType(AccessRefusedException.class,
				() -> this.guard.admit(Operation.READ, new Request(headers, null, null)));
		assertThat(refused.getReason()).isEqualTo(reason);
		assertThat(refused.getStatus()).isEqualTo(401);
	}

	@Test
	void twoAuthorizationHeadersAreRefusedEvenWhenBothAreValid() {
		AccessRefusedException refused = catchThrowableOfType(AccessRefusedException.class, () -> this.guard
			.admit(Operation.READ, new Request(List.of("Bearer " + READER, "Bearer " + READER), null, null)));
		assertThat(refused.getReason()).isEqualTo(Refusal.MALFORMED_CREDENTIALS);
		assertThat(refused.getMessage()).contains("exactly one");
	}

	@Test
	void aTenKilobyteTokenIsRefusedWithoutBeingHashed() {
		AccessRefusedException refused = catchThrowableOfType(AccessRefusedException.class, () -> this.guard
			.admit(Operation.READ, new Request(List.of("Bearer " + "a".repeat(10 * 1024)), null, null)));
		assertThat(refused.getReason()).isEqualTo(Refusal.MALFORMED_CREDENTIALS);
		assertThat(refused.getMessage()).contains("longer than 512");
	}

	@Test
	void aTokenInTheQueryStringIsRefusedEvenWithAValidHeader() {
		AccessRefusedException refused = catchThrowableOfType(AccessRefusedException.class, () -> this.guard
			.admit(Operation.READ, new Request(List.of("Bearer " + READER), "service=a&access_token=" + READER, null)));
		assertThat(refused.getReason()).isEqualTo(Refusal.TOKEN_IN_QUERY);
		assertThat(refused.getMessage()).doesNotContain(READER);
	}

	@Test
	void badTokensBeyondTheLimitGet429WhileGoodTokensFromTheSameAddressPass() {
		Request bad = new Request(List.of("Bearer wrong"), null, null);
		for (int i = 0; i < 3; i++) {
			assertThat(refusal(bad).getReason()).isEqualTo(Refusal.UNKNOWN_TOKEN);
		}
		AccessRefusedException limited = refusal(bad);
		assertThat(limited.getReason()).isEqualTo(Refusal.RATE_LIMITED);
		assertThat(limited.getStatus()).isEqualTo(429);
		assertThat(limited.getRetryAfterSeconds()).isEqualTo(60);
		assertThat(this.guard.admit(Operation.READ, new Request(List.of("Bearer " + READER), null, null)).displayName())
			.isEqualTo("reader");
		assertThat(refusal(new Request(List.of("Bearer wrong"), null, null, "10.0.0.9")).getReason())
			.as("another address is not limited")
			.isEqualTo(Refusal.UNKNOWN_TOKEN);
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(refusal(bad).getReason()).isEqualTo(Refusal.UNKNOWN_TOKEN);
	}

	@Test
	void refusalsAreCountedByReason() {
		refusal(new Request(List.of(), null, null));
		refusal(new Request(List.of("Bearer wrong"), null, null));
		refusal(new Request(List.of("Bearer wrong"), null, null));
		assertThat(count("missing-credentials")).isEqualTo(1);
		assertThat(count("unknown-token")).isEqualTo(2);
		assertThat(count("role")).isZero();
	}

	@Test
	void ownershipLetsTheOwnerAndAdminsChangeAnInstanceButNotOtherTokens() {
		Caller payment = this.guard.admit(Operation.IDENTIFY, new Request(List.of("Bearer " + PAYMENT), null, null));
		Caller admin = this.guard.admit(Operation.IDENTIFY, new Request(List.of("Bearer " + ADMIN), null, null));
		assertThat(payment.name()).isEqualTo("payment");
		assertThat(payment.mayChange("payment")).isTrue();
		assertThat(payment.mayChange("other")).isFalse();
		assertThat(payment.mayChange(null)).isFalse();
		assertThat(admin.mayChange("payment")).isTrue();
		assertThat(count("owner")).isEqualTo(2);
	}

	@Test
	void anOpenGuardAdmitsEveryoneAsAnonymousWhoOwnsNothing() {
		Caller caller = ApiGuard.open().admit(Operation.WRITE, new Request(List.of(), "access_token=x", "any"));
		assertThat(caller).isSameAs(Caller.ANONYMOUS);
		assertThat(caller.name()).isNull();
		assertThat(caller.roleLabels()).containsExactly("read", "register", "admin");
		assertThat(caller.mayChange("someone")).isTrue();
	}

	@Test
	void securityOnWithoutTokensFailsStartup() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ApiGuard.of(new TokenStore(List.of(), new Refusals(this.meters)), this.clock, 3,
					Duration.ofMinutes(1)))
			.withMessageContaining("tokens is empty");
	}

	@Test
	void anInvalidHashIsReportedByPositionAndNameWithoutItsValue() {
		String almostHash = "abc123".repeat(10) + "zz";
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TokenStore(
					List.of(new TokenSpec("payment", almostHash, Set.of(Role.READ), List.of())), Refusals.NONE))
			.withMessageContaining("tokens[0] ('payment').sha256 must be 64 hex digits")
			.withMessageNotContaining(almostHash);
	}

	@Test
	void twoTokensWithTheSameHashAreRefused() {
		String hash = TokenStore.sha256Hex("same");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TokenStore(List.of(new TokenSpec("a", hash, Set.of(Role.READ), List.of()),
					new TokenSpec("b", hash, Set.of(Role.READ), List.of())), Refusals.NONE))
			.withMessageContaining("tokens[1] ('b')")
			.withMessageNotContaining(hash);
	}

	@Test
	void theHashIsTheHexSha256OfTheTokensUtf8Bytes() {
		// echo -n abc | sha256sum
		assertThat(TokenStore.sha256Hex("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void servicePatternsMatchNamesAndGlobs() {
		ServicePatterns patterns = new ServicePatterns(List.of("payment-*", "Orders", "*-edge-*"));
		assertThat(patterns.matches("payment-service")).isTrue();
		assertThat(patterns.matches("payment-")).isTrue();
		assertThat(patterns.matches("orders")).isTrue();
		assertThat(patterns.matches("eu-edge-1")).isTrue();
		assertThat(patterns.matches("orders-2")).isFalse();
		assertThat(patterns.matches("xpayment-service")).isFalse();
		assertThat(new ServicePatterns(List.of("a.b")).matches("aXb")).as("only * is special").isFalse();
	}

	private AccessRefusedException refusal(Request request) {
		return catchThrowableOfType(AccessRefusedException.class, () -> this.guard.admit(Operation.READ, request));
	}

	private double count(String reason) {
		return this.meters.get("beacon.registry.security.refusals").tag("reason", reason).counter().count();
	}

	private record Request(List<String> authorizations, String rawQuery, String service, String remoteAddress)
			implements GuardedRequest {

		Request(List<String> authorizations, String rawQuery, String service) {
			this(authorizations, rawQuery, service, "127.0.0.1");
		}

	}

}
