package io.beacon.registry.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.beacon.registry.etcd.EtcdSettings;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the etcd store ({@code beacon.registry.store=etcd}), under {@code beacon.registry.etcd}.
 */
@ConfigurationProperties("beacon.registry.etcd")
@Validated
public class EtcdProperties {

	/**
	 * etcd client URLs, comma-separated (e.g. {@code http://127.0.0.1:2379,http://127.0.0.1:22379}).
	 */
	@NotEmpty
	private List<String> endpoints = new ArrayList<>(List.of("http://127.0.0.1:2379"));

	/**
	 * Key prefix under which the registry keeps everything; replicas sharing a prefix share one registry.
	 */
	@NotNull
	@Pattern(regexp = "/[A-Za-z0-9._/-]*[A-Za-z0-9._-]", message = "must start with '/' and not end with '/'")
	private String prefix = "/beacon";

	/**
	 * How long to wait for a connection to etcd.
	 */
	@NotNull
	@DurationMin(millis = 100)
	@DurationMax(minutes = 1)
	private Duration connectTimeout = Duration.ofSeconds(3);

	/**
	 * How long one etcd request may take before a write is answered 503 (and startup fails).
	 */
	@NotNull
	@DurationMin(millis = 100)
	@DurationMax(minutes = 1)
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * TTL of this replica's etcd session: when the replica dies, the instances whose heartbeats it
	 * received are taken over by another replica this long plus one lease TTL later.
	 */
	@NotNull
	@DurationMin(seconds = 2)
	@DurationMax(minutes = 5)
	private Duration sessionTtl = Duration.ofSeconds(10);

	/** Every endpoint is an absolute http(s) URL with a host and a port. */
	@AssertTrue(message = "beacon.registry.etcd.endpoints must be http(s)://host:port URLs, comma-separated")
	public boolean isEndpointsValid() {
		if (this.endpoints == null) {
			return true;
		}
		for (String endpoint : this.endpoints) {
			try {
				URI uri = URI.create(endpoint.trim());
				if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
						|| uri.getPort() < 1) {
					return false;
				}
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}
		return true;
	}

	/** These settings as the etcd store takes them (endpoints trimmed). */
	public EtcdSettings toSettings() {
		return new EtcdSettings(this.endpoints.stream().map(String::trim).toList(), this.prefix, this.connectTimeout,
				this.requestTimeout, this.sessionTtl);
	}

	public List<String> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(List<String> endpoints) {
		this.endpoints = endpoints;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public Duration getSessionTtl() {
		return this.sessionTtl;
	}

	public void setSessionTtl(Duration sessionTtl) {
		this.sessionTtl = sessionTtl;
	}

}
