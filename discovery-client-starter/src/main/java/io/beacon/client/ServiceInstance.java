package io.beacon.client;

import java.net.URI;
import java.util.Map;

/**
 * One instance of a service as the registry reports it.
 *
 * @param instanceId unique within the service
 * @param service the service name (lower case)
 * @param host IP address or DNS name
 * @param port the port
 * @param secure whether the instance speaks TLS
 * @param status its status
 * @param zone its zone, or {@code null}
 * @param metadata free-form string pairs, never {@code null}
 */
public record ServiceInstance(String instanceId, String service, String host, int port, boolean secure,
		InstanceStatus status, String zone, Map<String, String> metadata) {

	public ServiceInstance {
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
	}

	/** The base URI of the instance, for example {@code http://10.0.0.7:8081}. */
	public URI uri() {
		String literal = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		return URI.create((this.secure ? "https" : "http") + "://" + literal + ":" + this.port);
	}

	public boolean isUp() {
		return this.status == InstanceStatus.UP;
	}

	/** The same instance with another status. */
	public ServiceInstance withStatus(InstanceStatus newStatus) {
		return new ServiceInstance(this.instanceId, this.service, this.host, this.port, this.secure, newStatus,
				this.zone, this.metadata);
	}

}
