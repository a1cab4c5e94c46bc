package io.beacon.client.registration;

import java.net.InetAddress;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the host an instance registers, so that callers reach it where it actually listens:
 * <ol>
 * <li>a host given explicitly (for the starter, {@code beacon.client.host}) is registered as given;</li>
 * <li>a listener bound to one address (for the starter, {@code server.address}) registers that
 * address; a loopback one too, said in one INFO line, since only this machine can reach it then;</li>
 * <li>a listener bound to every address (no bind address, {@code 0.0.0.0} or {@code ::}) registers
 * the first non-loopback address of this machine ({@link HostAddresses}).</li>
 * </ol>
 * Anything that registers a listener of its own (a sidecar, a gateway) follows the same rules.
 */
public final class AdvertisedHost {

	private static final Logger logger = LoggerFactory.getLogger(AdvertisedHost.class);

	private AdvertisedHost() {
	}

	/**
	 * @param configuredHost the host given explicitly, or {@code null}
	 * @param bindAddress the one address the listener is bound to, or {@code null} when it listens on
	 * every address
	 * @param preferIpAddress register an IP address (true) or a host name (false)
	 * @return the host to register
	 */
	public static String choose(String configuredHost, InetAddress bindAddress, boolean preferIpAddress) {
		return choose(configuredHost, bindAddress, preferIpAddress,
				() -> HostAddresses.firstNonLoopback(preferIpAddress));
	}

	/**
	 * As {@link #choose(String, InetAddress, boolean)}, with the machine's first non-loopback address
	 * supplied by {@code anyAddress} (asked only when the listener is bound to every address).
	 */
	static String choose(String configuredHost, InetAddress bindAddress, boolean preferIpAddress,
			Supplier<String> anyAddress) {
		if (configuredHost != null && !configuredHost.isBlank()) {
			return configuredHost.trim();
		}
		if (bindAddress == null || bindAddress.isAnyLocalAddress()) {
			return anyAddress.get();
		}
		String literal = bindAddress.getHostAddress().replaceAll("%.*$", "");
		if (bindAddress.isLoopbackAddress()) {
			logger.info("Registering {}: the server listens on that loopback address only, so only this machine "
					+ "can reach this instance (bind it to a reachable address, or set beacon.client.host)", literal);
			return literal;
		}
		return preferIpAddress ? literal : bindAddress.getHostName();
	}

}
