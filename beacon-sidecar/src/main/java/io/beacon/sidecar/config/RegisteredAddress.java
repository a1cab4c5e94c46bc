package io.beacon.sidecar.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.beacon.client.registration.HostAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address to register for the app, when beacon.client.host does not say: the address the app is
 * reached at (app-host) when it names one, loopback included, since an app bound to loopback cannot
 * be reached at any other address (said in one INFO line); the first non-loopback address when
 * app-host is a wildcard (the app listens everywhere).
 */
final class RegisteredAddress {

	private static final Logger logger = LoggerFactory.getLogger(RegisteredAddress.class);

	private RegisteredAddress() {
	}

	static String choose(String configuredHost, String appHost, boolean preferIpAddress) {
		if (configuredHost != null && !configuredHost.isBlank()) {
			return configuredHost;
		}
		if (appHost.equals("0.0.0.0") || appHost.equals("::") || appHost.equals("[::]") || appHost.equals("*")) {
			return HostAddresses.firstNonLoopback(preferIpAddress);
		}
		if (isLoopback(appHost)) {
			logger.info("Registering the app at loopback address {} (beacon.sidecar.app-host): only this machine can "
					+ "reach it; set beacon.client.host to register another address", appHost);
		}
		return appHost;
	}

	private static boolean isLoopback(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
