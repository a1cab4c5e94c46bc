package io.beacon.sidecar.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sidecar, under {@code beacon.sidecar}: which app it stands for and how it checks
 * it. Where the registry is, the lease and the token are the starter's {@code beacon.client.*}.
 */
@ConfigurationProperties("beacon.sidecar")
@Validated
public class SidecarProperties {

	/**
	 * Name the app registers under and is found by. A DNS label: letters, digits and '-'.
	 */
	@NotNull(message = "beacon.sidecar.service-name is required: the name the app registers under, for example "
			+ "payment-service")
	@Pattern(regexp = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
			message = "must be a DNS label: 1-63 letters, digits and '-', not starting or ending with '-'")
	private String serviceName;

	/**
	 * Address the sidecar reaches the app at, for the TCP health check and as the address to
	 * register when beacon.client.host is not set.
	 */
	@NotBlank(message = "must be an IP address or host name")
	private String appHost = "127.0.0.1";

	/**
	 * Port the app serves on: the port registered and checked.
	 */
	@NotNull(message = "beacon.sidecar.app-port is required: the port the app serves on")
	@Min(value = 1, message = "must be a port, 1-65535")
	@Max(value = 65535, message = "must be a port, 1-65535")
	private Integer appPort;

	/**
	 * The app's health URL: a 2xx answer is healthy, anything else (or no answer within the probe
	 * timeout) unhealthy. Without it, health is whether a TCP connection to app-host:app-port opens.
	 */
	private URI healthUrl;

	/**
	 * Pause between the end of one health probe and the start of the next.
	 */
	@NotNull
	@DurationMin(millis = 50, message = "must be at least 50ms")
	@DurationMax(minutes = 10, message = "must be at most 10m")
	private Duration probeInterval = Duration.ofSeconds(2);

	/**
	 * Time one probe may take; a probe that takes longer counts as unhealthy.
	 */
	@NotNull
	@DurationMin(millis = 10, message = "must be at least 10ms")
	@DurationMax(minutes = 1, message = "must be at most 1m")
	private Duration probeTimeout = Duration.ofSeconds(1);

	/**
	 * Consecutive healthy probes that turn a DOWN app UP again (the first healthy probe turns a
	 * STARTING app UP).
	 */
	@Min(value = 1, message = "must be 1-100")
	@Max(value = 100, message = "must be 1-100")
	private int healthyThreshold = 2;

	/**
	 * Consecutive unhealthy probes that turn an UP app DOWN.
	 */
	@Min(value = 1, message = "must be 1-100")
	@Max(value = 100, message = "must be 1-100")
	private int unhealthyThreshold = 3;

	/**
	 * Metadata registered with the app, added to beacon.client.metadata.
	 */
	private Map<String, String> metadata = new LinkedHashMap<>();

	/**
	 * Port of the outbound proxy on 127.0.0.1: the app calls http://127.0.0.1:{proxy-port}/{service}/{path}.
	 */
	@Min(value = 1, message = "must be a port, 1-65535")
	@Max(value = 65535, message = "must be a port, 1-65535")
	private int proxyPort = 15001;

	/**
	 * Time the proxy allows to connect to an instance before trying another.
	 */
	@NotNull
	@DurationMin(millis = 10, message = "must be at least 10ms")
	@DurationMax(minutes = 1, message = "must be at most 1m")
	private Duration proxyConnectTimeout = Duration.ofSeconds(1);

	/**
	 * Longest silence the proxy allows while waiting for or reading an instance's answer.
	 */
	@NotNull
	@DurationMin(millis = 100, message = "must be at least 100ms")
	@DurationMax(hours = 1, message = "must be at most 1h")
	private Duration proxyResponseTimeout = Duration.ofSeconds(30);

	/**
	 * On SIGTERM, how long the app keeps serving after it was reported DRAINING, before it is
	 * deregistered.
	 */
	@NotNull
	@DurationMin(millis = 0, message = "must not be negative")
	@DurationMax(minutes = 5, message = "must be at most 5m")
	private Duration drainDelay = Duration.ofSeconds(2);

	/**
	 * Process id of an app started elsewhere: it gets SIGTERM after the drain.
	 */
	@Min(value = 1, message = "must be a process id (1 or more)")
	private Long appPid;

	/**
	 * The app's command line (program and arguments): the sidecar starts it, leaves when it exits,
	 * and sends it SIGTERM after the drain.
	 */
	private List<String> command = new ArrayList<>();

	/**
	 * After SIGTERM was sent to the app, how long to wait for it to exit; an app the sidecar
	 * started is then killed.
	 */
	@NotNull
	@DurationMin(millis = 0, message = "must not be negative")
	@DurationMax(minutes = 10, message = "must be at most 10m")
	private Duration appStopTimeout = Duration.ofSeconds(10);

	@AssertTrue(message = "beacon.sidecar.health-url must be an http or https URL with a host, for example "
			+ "http://127.0.0.1:8080/health")
	public boolean isHealthUrlValid() {
		if (this.healthUrl == null) {
			return true;
		}
		String scheme = this.healthUrl.getScheme();
		return ("http".equals(scheme) || "https".equals(scheme)) && this.healthUrl.getHost() != null;
	}

	@AssertTrue(message = "beacon.sidecar.app-pid and beacon.sidecar.command exclude each other: either the app "
			+ "runs already (app-pid) or the sidecar starts it (command)")
	public boolean isOneWayToKnowTheApp() {
		return this.appPid == null || this.command == null || this.command.isEmpty();
	}

	@AssertTrue(message = "beacon.sidecar.command must not contain blank entries")
	public boolean isCommandWithoutBlanks() {
		return this.command == null || this.command.stream().noneMatch((part) -> part == null || part.isBlank());
	}

	@AssertTrue(message = "beacon.sidecar.proxy-port must differ from beacon.sidecar.app-port: both listen on this "
			+ "machine")
	public boolean isProxyPortFree() {
		return this.appPort == null || this.proxyPort != this.appPort;
	}

	public String getServiceName() {
		return this.serviceName;
	}

	public void setServiceName(String serviceName) {
		this.serviceName = serviceName;
	}

	public String getAppHost() {
		return this.appHost;
	}

	public void setAppHost(String appHost) {
		this.appHost = appHost;
	}

	public Integer getAppPort() {
		return this.appPort;
	}

	public void setAppPort(Integer appPort) {
		this.appPort = appPort;
	}

	public URI getHealthUrl() {
		return this.healthUrl;
	}

	public void setHealthUrl(URI healthUrl) {
		this.healthUrl = healthUrl;
	}

	public Duration getProbeInterval() {
		return this.probeInterval;
	}

	public void setProbeInterval(Duration probeInterval) {
		this.probeInterval = probeInterval;
	}

	public Duration getProbeTimeout() {
		return this.probeTimeout;
	}

	public void setProbeTimeout(Duration probeTimeout) {
		this.probeTimeout = probeTimeout;
	}

	public int getHealthyThreshold() {
		return this.healthyThreshold;
	}

	public void setHealthyThreshold(int healthyThreshold) {
		this.healthyThreshold = healthyThreshold;
	}

	public int getUnhealthyThreshold() {
		return this.unhealthyThreshold;
	}

	public void setUnhealthyThreshold(int unhealthyThreshold) {
		this.unhealthyThreshold = unhealthyThreshold;
	}

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	public void setMetadata(Map<String, String> metadata) {
		this.metadata = metadata;
	}

	public int getProxyPort() {
		return this.proxyPort;
	}

	public void setProxyPort(int proxyPort) {
		this.proxyPort = proxyPort;
	}

	public Duration getProxyConnectTimeout() {
		return this.proxyConnectTimeout;
	}

	public void setProxyConnectTimeout(Duration proxyConnectTimeout) {
		this.proxyConnectTimeout = proxyConnectTimeout;
	}

	public Duration getProxyResponseTimeout() {
		return this.proxyResponseTimeout;
	}

	public void setProxyResponseTimeout(Duration proxyResponseTimeout) {
		this.proxyResponseTimeout = proxyResponseTimeout;
	}

	public Duration getDrainDelay() {
		return this.drainDelay;
	}

	public void setDrainDelay(Duration drainDelay) {
		this.drainDelay = drainDelay;
	}

	public Long getAppPid() {
		return this.appPid;
	}

	public void setAppPid(Long appPid) {
		this.appPid = appPid;
	}

	public List<String> getCommand() {
		return this.command;
	}

	public void setCommand(List<String> command) {
		this.command = command;
	}

	public Duration getAppStopTimeout() {
		return this.appStopTimeout;
	}

	public void setAppStopTimeout(Duration appStopTimeout) {
		this.appStopTimeout = appStopTimeout;
	}

}
