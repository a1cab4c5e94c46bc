package io.beacon.client.registration;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AdvertisedHostTests {

	/** What this machine's first non-loopback address would be. */
	private static final String MACHINE = "192.0.2.2";

	@Test
	void aServerBoundToLoopbackRegistersLoopbackAndSaysSoOnce(CapturedOutput output) throws UnknownHostException {
		assertThat(AdvertisedHost.choose(null, InetAddress.getByName("127.0.0.1"), true, () -> MACHINE))
			.isEqualTo("127.0.0.1");
		assertThat(output.getOut().lines().filter((line) -> line.contains("loopback"))).singleElement()
			.asString()
			.contains("INFO")
			.contains("Registering 127.0.0.1")
			.contains("beacon.client.host");
	}

	@Test
	void aServerBoundToIpv6LoopbackRegistersIt() throws UnknownHostException {
		assertThat(AdvertisedHost.choose(null, InetAddress.getByName("::1"), true, () -> MACHINE))
			.isEqualTo("0:0:0:0:0:0:0:1");
	}

	@Test
	void aServerBoundToOneReachableAddressRegistersThatAddress() throws UnknownHostException {
		assertThat(AdvertisedHost.choose(null, InetAddress.getByName("10.9.8.7"), true, () -> MACHINE))
			.isEqualTo("10.9.8.7");
	}

	@Test
	void aServerBoundToEveryAddressRegistersTheMachinesFirstNonLoopbackOne() throws UnknownHostException {
		assertThat(AdvertisedHost.choose(null, null, true, () -> MACHINE)).isEqualTo(MACHINE);
		assertThat(AdvertisedHost.choose(null, InetAddress.getByName("0.0.0.0"), true, () -> MACHINE))
			.isEqualTo(MACHINE);
		assertThat(AdvertisedHost.choose(null, InetAddress.getByName("::"), true, () -> MACHINE)).isEqualTo(MACHINE);
	}

	@Test
	void aConfiguredHostWinsOverTheBindAddress() throws UnknownHostException {
		assertThat(AdvertisedHost.choose("payments.internal", InetAddress.getByName("127.0.0.1"), true,
				() -> MACHINE))
			.isEqualTo("payments.internal");
		assertThat(AdvertisedHost.choose("  ", InetAddress.getByName("10.9.8.7"), true, () -> MACHINE))
			.isEqualTo("10.9.8.7");
	}

}
