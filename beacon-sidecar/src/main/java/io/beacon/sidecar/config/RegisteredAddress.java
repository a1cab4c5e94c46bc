package io.beacon.sidecar.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.beacon.client.registration.AdvertisedHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address to register for the app, by the starter's rules ({@link AdvertisedHost}), with
 * app-host as the address the app listens on: beacon.client.host when set; else app-host when it is
 * one address (loopback included, said in one INFO line, since nothing else can reach the app);
 * else, for {@code 0.0.0.0} or {@code ::}, the first non-loopback address of this machine.
 */
final class RegisteredAddress {

	private static final Logger logger = LoggerFactory.getLogger(RegisteredAddress.class);

	private RegisteredAddress() {
	}

	static String choose(String configuredHost, String appHost, boolean preferIpAddress) {
		if (configuredHost != null && !configuredHost.isBlank()) {
			return AdvertisedHost.choose(configuredHost, null, preferIpAddress);
		}
		InetAddress listening;
		try {
			listening = InetAddress.getByName(appHost);
		}
		catch (UnknownHostException ex) {
			logger.warn("beacon.sidecar.app-host '{}' does not resolve here: registering it as given", appHost);
			return appHost;
		}
		return AdvertisedHost.choose(null, listening, preferIpAddress);
	}

}
