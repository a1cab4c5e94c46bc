package io.beacon.sidecar.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegisteredAddressTests {

	@Test
	void configuredHostWins() {
		assertThat(RegisteredAddress.choose("10.1.2.3", "127.0.0.1", true)).isEqualTo("10.1.2.3");
	}

	@Test
	void appOnLoopbackIsRegisteredAtLoopbackBecauseNothingElseReachesIt() {
		assertThat(RegisteredAddress.choose(null, "127.0.0.1", true)).isEqualTo("127.0.0.1");
		// the JDK's literal form of ::1, as the starter registers it
		assertThat(RegisteredAddress.choose(" ", "::1", true)).isEqualTo("0:0:0:0:0:0:0:1");
	}

	@Test
	void appOnOneAddressIsRegisteredAtIt() {
		assertThat(RegisteredAddress.choose(null, "192.0.2.10", true)).isEqualTo("192.0.2.10");
	}

	@Test
	void appOnEveryAddressIsRegisteredAtTheFirstNonLoopbackOne() {
		String chosen = RegisteredAddress.choose(null, "0.0.0.0", true);
		assertThat(chosen).isNotEqualTo("0.0.0.0");
		assertThat(chosen).isNotBlank();
		assertThat(RegisteredAddress.choose(null, "::", true)).isNotEqualTo("::").isNotBlank();
	}

	@Test
	void appHostThatDoesNotResolveIsRegisteredAsGiven() {
		assertThat(RegisteredAddress.choose(null, "no-such-host.invalid", true)).isEqualTo("no-such-host.invalid");
	}

}
