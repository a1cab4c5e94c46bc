package io.beacon.client.registration;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the address other machines can reach this one at: the first non-loopback address of an
 * interface that is up, IPv4 site-local first, then any IPv4, then IPv6; loopback as a last resort.
 */
public final class HostAddresses {

	private static final Logger logger = LoggerFactory.getLogger(HostAddresses.class);

	private HostAddresses() {
	}

	/**
	 * @param preferIpAddress the IP address as text when true, else its host name
	 */
	public static String firstNonLoopback(boolean preferIpAddress) {
		InetAddress address = pick(candidates());
		if (address == null) {
			logger.warn("No non-loopback network address found: registering 127.0.0.1, which only this machine can "
					+ "reach; set beacon.client.host");
			return "127.0.0.1";
		}
		return preferIpAddress ? address.getHostAddress().replaceAll("%.*$", "") : address.getCanonicalHostName();
	}

	static InetAddress pick(List<InetAddress> addresses) {
		InetAddress anyIpv4 = null;
		InetAddress anyIpv6 = null;
		for (InetAddress address : addresses) {
			if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
				continue;
			}
			if (address instanceof Inet4Address) {
				if (address.isSiteLocalAddress()) {
					return address;
				}
				anyIpv4 = (anyIpv4 != null) ? anyIpv4 : address;
			}
			else {
				anyIpv6 = (anyIpv6 != null) ? anyIpv6 : address;
			}
		}
		return (anyIpv4 != null) ? anyIpv4 : anyIpv6;
	}

	private static List<InetAddress> candidates() {
		List<InetAddress> addresses = new ArrayList<>();
		try {
			for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (network.isUp() && !network.isLoopback() && !network.isVirtual()) {
					addresses.addAll(Collections.list(network.getInetAddresses()));
				}
			}
		}
		catch (SocketException ex) {
			logger.warn("Could not list network interfaces: {}", ex.getMessage());
		}
		return addresses;
	}

}
