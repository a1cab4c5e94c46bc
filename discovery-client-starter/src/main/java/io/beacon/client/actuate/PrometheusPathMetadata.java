package io.beacon.client.actuate;

import java.util.Map;

import io.beacon.client.registration.MetadataContributor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.core.env.Environment;

/**
 * Registers {@code prometheus.path} (for example {@code /actuator/prometheus}) when the actuator's
 * Prometheus endpoint is exposed over HTTP on the application's own port, so that the registry's
 * Prometheus service discovery tells Prometheus where to scrape.
 */
public final class PrometheusPathMetadata implements MetadataContributor {

	/** The metadata key the registry turns into Prometheus' {@code __metrics_path__}. */
	public static final String KEY = "prometheus.path";

	private static final EndpointId PROMETHEUS = EndpointId.of("prometheus");

	private final ObjectProvider<PathMappedEndpoints> endpoints;

	private final Environment environment;

	public PrometheusPathMetadata(ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
		this.endpoints = endpoints;
		this.environment = environment;
	}

	@Override
	public Map<String, String> metadata() {
		PathMappedEndpoints mapped = this.endpoints.getIfAvailable();
		String path = (mapped != null) ? mapped.getPath(PROMETHEUS) : null;
		if (path == null || onOwnManagementPort()) {
			return Map.of();
		}
		return Map.of(KEY, contextPath() + path);
	}

	/** On a separate management port the path would be scraped on the wrong port: say nothing. */
	private boolean onOwnManagementPort() {
		return ManagementPortType.get(this.environment) == ManagementPortType.DIFFERENT;
	}

	private String contextPath() {
		String path = this.environment.getProperty("server.servlet.context-path",
				this.environment.getProperty("spring.webflux.base-path", ""));
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

}
