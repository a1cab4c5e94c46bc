package io.beacon.registry.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.xbill.DNS.Address;

/**
 * Reads an instance's host as an IP address without any lookup: the registry only ever holds IPv4
 * and IPv6 literals or DNS names, and never resolves names itself.
 */
final class HostAddress {

	private HostAddress() {
	}

	/**
	 * @return the address, or {@code null} when the host is a DNS name
	 */
	static InetAddress parse(String host) {
		byte[] bytes = Address.toByteArray(host, Address.IPv4);
		if (bytes == null && host.indexOf(':') >= 0) {
			bytes = Address.toByteArray(host, Address.IPv6);
		}
		if (bytes == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
