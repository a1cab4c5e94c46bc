package io.beacon.client.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.beacon.client.registration.AdvertisedHost;
import io.beacon.client.registration.LocalInstance;
import io.beacon.client.registration.MetadataContributor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Works out what this application registers as, once its web server is up: the service name
 * (beacon.client.service-name, else spring.application.name), host (configured, else the address
 * in server.address, else the first non-loopback address: see {@link AdvertisedHost}), port (configured, else the server's actual port, random ports included),
 * and metadata (configured, over contributed, over the version from build info).
 */
final class LocalInstanceFactory {

	private final BeaconClientProperties properties;

	private final Environment environment;

	private final ObjectProvider<BuildProperties> buildProperties;

	private final ObjectProvider<MetadataContributor> contributors;

	LocalInstanceFactory(BeaconClientProperties properties, Environment environment,
			ObjectProvider<BuildProperties> buildProperties, ObjectProvider<MetadataContributor> contributors) {
		this.properties = properties;
		this.environment = environment;
		this.buildProperties = buildProperties;
		this.contributors = contributors;
	}

	/** The service name, or an exception saying how to set one. */
	String serviceName() {
		String name = this.properties.getServiceName();
		if (!StringUtils.hasText(name)) {
			name = this.environment.getProperty("spring.application.name");
		}
		if (!StringUtils.hasText(name)) {
			throw new IllegalStateException(
					"Beacon needs a service name to register: set beacon.client.service-name or spring.application.name");
		}
		if (!name.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
			throw new IllegalStateException("Service name '" + name + "' is not a DNS label (1-63 letters, digits and "
					+ "'-', not starting or ending with '-'): set beacon.client.service-name");
		}
		return name.toLowerCase(Locale.ROOT);
	}

	LocalInstance create(ApplicationContext context) {
		String host = AdvertisedHost.choose(this.properties.getHost(), serverAddress(),
				this.properties.isPreferIpAddress());
		int port = (this.properties.getPort() != null) ? this.properties.getPort() : serverPort(context);
		String instanceId = StringUtils.hasText(this.properties.getInstanceId()) ? this.properties.getInstanceId()
				: host + ":" + port;
		Map<String, String> metadata = new LinkedHashMap<>();
		BuildProperties build = this.buildProperties.getIfAvailable();
		if (build != null && build.getVersion() != null) {
			metadata.put("version", build.getVersion());
		}
		this.contributors.orderedStream().forEach((contributor) -> metadata.putAll(contributor.metadata()));
		metadata.putAll(this.properties.getMetadata());
		return new LocalInstance(serviceName(), instanceId, host, port, this.properties.isSecure(),
				this.properties.getZone(), metadata, this.properties.getLeaseTtl());
	}

	/** The one address the web server is bound to (server.address), or {@code null} for every address. */
	private InetAddress serverAddress() {
		String address = this.environment.getProperty("server.address");
		if (!StringUtils.hasText(address)) {
			return null;
		}
		try {
			return InetAddress.getByName(address.trim());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("server.address '" + address + "' is not an address this machine can "
					+ "resolve; Beacon registers the address the server is bound to, or beacon.client.host", ex);
		}
	}

	/** Whether a port is configured or a web server runs to ask. */
	boolean canTellPort(ApplicationContext context) {
		return this.properties.getPort() != null || runningServerPort(context) > 0;
	}

	private static int runningServerPort(ApplicationContext context) {
		if (context instanceof org.springframework.boot.web.server.context.WebServerApplicationContext web
				&& web.getWebServer() != null) {
			return web.getWebServer().getPort();
		}
		return -1;
	}

	private static int serverPort(ApplicationContext context) {
		if (context instanceof org.springframework.boot.web.server.context.WebServerApplicationContext web
				&& web.getWebServer() != null && web.getWebServer().getPort() > 0) {
			return web.getWebServer().getPort();
		}
		throw new IllegalStateException("Beacon cannot tell which port to register: this application runs no web "
				+ "server; set beacon.client.port, or beacon.client.registration.enabled=false");
	}

}
