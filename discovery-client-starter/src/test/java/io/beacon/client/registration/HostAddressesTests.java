package io.beacon.client.registration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostAddressesTests {

	@Test
	void prefersSiteLocalIpv4ThenAnyIpv4ThenIpv6AndNeverLoopbackOrLinkLocal() throws UnknownHostException {
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		InetAddress linkLocal = InetAddress.getByName("169.254.1.1");
		InetAddress publicV4 = InetAddress.getByName("203.0.113.7");
		InetAddress siteLocal = InetAddress.getByName("10.1.2.3");
		InetAddress v6 = InetAddress.getByName("2001:db8::1");
		assertThat(HostAddresses.pick(List.of(loopback, linkLocal, v6, publicV4, siteLocal))).isEqualTo(siteLocal);
		assertThat(HostAddresses.pick(List.of(loopback, v6, publicV4))).isEqualTo(publicV4);
		assertThat(HostAddresses.pick(List.of(loopback, v6))).isEqualTo(v6);
		assertThat(HostAddresses.pick(List.of(loopback, linkLocal))).isNull();
	}

	@Test
	void alwaysFindsSomethingToRegister() {
		assertThat(HostAddresses.firstNonLoopback(true)).isNotBlank();
	}

}
