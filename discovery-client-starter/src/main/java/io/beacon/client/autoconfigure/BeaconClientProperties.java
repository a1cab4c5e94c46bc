package io.beacon.client.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Beacon client, under {@code beacon.client}.
 */
@ConfigurationProperties("beacon.client")
@Validated
public class BeaconClientProperties {

	/**
	 * Whether the Beacon client is on at all: registration, discovery and the load-balanced WebClient.
	 */
	private boolean enabled = true;

	/**
	 * Base URLs of the registry, tried in this order; calls fail over to the next one. A URL may
	 * have a base path (a registry behind a reverse proxy): the API is called below it.
	 */
	@NotEmpty
	private List<URI> registryUrl = List.of(URI.create("http://localhost:8700"));

	/**
	 * Name to register under and to be found by; defaults to spring.application.name. A DNS label:
	 * letters, digits and '-', compared case-insensitively.
	 */
	@Pattern(regexp = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
			message = "must be a DNS label: 1-63 letters, digits and '-', not starting or ending with '-'")
	private String serviceName;

	/**
	 * Instance id; defaults to host:port.
	 */
	@Pattern(regexp = "[A-Za-z0-9._:-]{1,128}",
			message = "must be 1-128 letters, digits, '.', '_', ':' or '-'")
	private String instanceId;

	/**
	 * Address other services reach this instance at; defaults to server.address when the server is
	 * bound to one address (loopback included), else to the first non-loopback address.
	 */
	private String host;

	/**
	 * Whether the default host is the IP address (true) or its host name (false).
	 */
	private boolean preferIpAddress = true;

	/**
	 * Port to register; defaults to the port the web server actually listens on.
	 */
	@Min(1)
	@Max(65535)
	private Integer port;

	/**
	 * Whether callers should use HTTPS.
	 */
	private boolean secure;

	/**
	 * Zone of this instance, for example an availability zone.
	 */
	@Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must be 1-64 letters, digits, '.', '_' or '-'")
	private String zone;

	/**
	 * Free-form metadata registered with the instance (the app version is added from build info).
	 */
	private Map<String, String> metadata = new LinkedHashMap<>();

	/**
	 * Lease asked of the registry (whole seconds, 1 s to 1 h). Heartbeats are sent every third of it.
	 */
	@NotNull
	@DurationMin(seconds = 1)
	@DurationMax(seconds = 3600)
	private Duration leaseTtl = Duration.ofSeconds(15);

	/**
	 * Whether startup fails when no registry accepts the registration. When false, the app starts
	 * anyway and keeps trying.
	 */
	private boolean failFast;

	/**
	 * How long to keep serving after reporting DRAINING on shutdown, before Boot's graceful shutdown
	 * finishes the requests in flight and the instance deregisters.
	 */
	@NotNull
	@DurationMin(millis = 0)
	@DurationMax(minutes = 5)
	private Duration drainDelay = Duration.ofSeconds(2);

	/**
	 * Time allowed to connect to the registry.
	 */
	@NotNull
	@DurationMin(millis = 10)
	@DurationMax(minutes = 1)
	private Duration connectTimeout = Duration.ofSeconds(1);

	/**
	 * Time allowed for one call to one registry URL; a call failing over to the next URL gets as much
	 * again for each.
	 */
	@NotNull
	@DurationMin(millis = 50)
	@DurationMax(minutes = 5)
	private Duration requestTimeout = Duration.ofSeconds(3);

	/**
	 * Token sent to the registry as {@code Authorization: Bearer <token>} when its security is on;
	 * a {@code BeaconCredentials} bean takes its place (to rotate tokens). Never logged.
	 */
	private String token;

	/**
	 * TLS towards an HTTPS registry.
	 */
	@Valid
	private final Ssl ssl = new Ssl();

	/**
	 * Self-registration.
	 */
	@Valid
	private final Registration registration = new Registration();

	/**
	 * The cached view of the registry.
	 */
	@Valid
	private final Cache cache = new Cache();

	/**
	 * The watch stream that keeps the cached view current.
	 */
	@Valid
	private final Watch watch = new Watch();

	/**
	 * The load-balanced WebClient.
	 */
	@Valid
	private final LoadBalancer loadBalancer = new LoadBalancer();

	/**
	 * Health-driven status: the application's own health group reported to the registry.
	 */
	@Valid
	private final Health health = new Health();

	/**
	 * The lease stream: one connection per registered instance that tells the registry at once
	 * when this process dies.
	 */
	private final LeaseStream leaseStream = new LeaseStream();

	@AssertTrue(message = "beacon.client.lease-ttl must be a whole number of seconds")
	public boolean isLeaseTtlWholeSeconds() {
		return this.leaseTtl == null || this.leaseTtl.toMillis() % 1000 == 0;
	}

	@AssertTrue(message = "beacon.client.registry-url entries must be http or https URLs with a host, "
			+ "and no query or fragment")
	public boolean isRegistryUrlValid() {
		if (this.registryUrl == null) {
			return true;
		}
		for (URI url : this.registryUrl) {
			boolean web = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
			if (!web || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
				return false;
			}
		}
		return true;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<URI> getRegistryUrl() {
		return this.registryUrl;
	}

	public void setRegistryUrl(List<URI> registryUrl) {
		this.registryUrl = registryUrl;
	}

	public String getServiceName() {
		return this.serviceName;
	}

	public void setServiceName(String serviceName) {
		this.serviceName = serviceName;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public boolean isPreferIpAddress() {
		return this.preferIpAddress;
	}

	public void setPreferIpAddress(boolean preferIpAddress) {
		this.preferIpAddress = preferIpAddress;
	}

	public Integer getPort() {
		return this.port;
	}

	public void setPort(Integer port) {
		this.port = port;
	}

	public boolean isSecure() {
		return this.secure;
	}

	public void setSecure(boolean secure) {
		this.secure = secure;
	}

	public String getZone() {
		return this.zone;
	}

	public void setZone(String zone) {
		this.zone = zone;
	}

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	public void setMetadata(Map<String, String> metadata) {
		this.metadata = metadata;
	}

	public Duration getLeaseTtl() {
		return this.leaseTtl;
	}

	public void setLeaseTtl(Duration leaseTtl) {
		this.leaseTtl = leaseTtl;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public Duration getDrainDelay() {
		return this.drainDelay;
	}

	public void setDrainDelay(Duration drainDelay) {
		this.drainDelay = drainDelay;
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

	public String getToken() {
		return this.token;
	}

	public void setToken(String token) {
		this.token = token;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Registration getRegistration() {
		return this.registration;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Watch getWatch() {
		return this.watch;
	}

	public LoadBalancer getLoadBalancer() {
		return this.loadBalancer;
	}

	public Health getHealth() {
		return this.health;
	}

	public LeaseStream getLeaseStream() {
		return this.leaseStream;
	}

	/**
	 * Lease stream settings.
	 */
	public static class LeaseStream {

		/**
		 * Whether the registered instance keeps its lease stream open to the registry, so that the
		 * registry marks it DOWN (connection_lost) within its connection grace when this process
		 * dies, instead of at the lease TTL; heartbeats continue either way.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Health-driven status settings. Checks run once per heartbeat interval (a third of the lease TTL).
	 */
	public static class Health {

		/**
		 * Whether the health group drives the registered status: DOWN or OUT_OF_SERVICE for
		 * threshold checks in a row reports the instance DOWN (cause health_down), healthy again as
		 * many times reports it UP. Never while starting or draining.
		 */
		private boolean enabled = true;

		/**
		 * The health group (or contributor) checked, as under /actuator/health/{group}.
		 */
		@NotEmpty
		private String group = "readiness";

		/**
		 * Checks in a row that change the reported health, either way.
		 */
		@Min(1)
		@Max(100)
		private int threshold = 2;

		/**
		 * Time one check may take; a check still running then counts as unhealthy (capped at the
		 * heartbeat interval).
		 */
		@NotNull
		@DurationMin(millis = 10)
		@DurationMax(minutes = 1)
		private Duration timeout = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getGroup() {
			return this.group;
		}

		public void setGroup(String group) {
			this.group = group;
		}

		public int getThreshold() {
			return this.threshold;
		}

		public void setThreshold(int threshold) {
			this.threshold = threshold;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * TLS settings towards the registry.
	 */
	public static class Ssl {

		/**
		 * Name of a Boot SSL bundle (spring.ssl.bundle.*) whose trust material verifies the
		 * registry's certificate, for a private CA or a self-signed registry; the JDK's trust when unset.
		 */
		private String bundle;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Watch stream settings.
	 */
	public static class Watch {

		/**
		 * How long the watch stream may stay silent before it counts as broken and is reopened. When
		 * not set: three of the keep-alive intervals the registry announces (Beacon-Keep-Alive
		 * header), or 45s from a registry that announces none. When set, it wins over the registry.
		 */
		@DurationMin(seconds = 1)
		@DurationMax(hours = 1)
		private Duration idleTimeout;

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

	}

	/**
	 * Self-registration settings.
	 */
	public static class Registration {

		/**
		 * Whether this application registers itself (a pure caller may turn it off and still
		 * discover others).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Cache settings.
	 */
	public static class Cache {

		/**
		 * While the watch stream is down, how often the cached services are re-fetched.
		 */
		@NotNull
		@DurationMin(seconds = 1)
		private Duration ttl = Duration.ofSeconds(30);

		/**
		 * After the registry restarts, how long instances it does not list yet are kept (they
		 * re-register within one heartbeat interval).
		 */
		@NotNull
		@DurationMin(millis = 0)
		@DurationMax(hours = 1)
		private Duration restartGrace = Duration.ofSeconds(15);

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public Duration getRestartGrace() {
			return this.restartGrace;
		}

		public void setRestartGrace(Duration restartGrace) {
			this.restartGrace = restartGrace;
		}

	}

	/**
	 * Load-balancer settings.
	 */
	public static class LoadBalancer {

		/**
		 * Whether the @LoadBalanced WebClient.Builder is provided.
		 */
		private boolean enabled = true;

		/**
		 * Strategy for every service: round-robin, random, least-outstanding, or the name of a
		 * LoadBalancerStrategy bean.
		 */
		@NotNull
		private String strategy = "round-robin";

		/**
		 * Per-service settings, by service name.
		 */
		@Valid
		private Map<String, Service> services = new LinkedHashMap<>();

		/**
		 * How many other instances one request may be tried on after its first attempt failed.
		 */
		@Min(0)
		@Max(10)
		private int maxRetries = 1;

		/**
		 * How long an instance that refused a connection is skipped.
		 */
		@NotNull
		@DurationMin(millis = 0)
		@DurationMax(minutes = 10)
		private Duration ejectionTime = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getStrategy() {
			return this.strategy;
		}

		public void setStrategy(String strategy) {
			this.strategy = strategy;
		}

		public Map<String, Service> getServices() {
			return this.services;
		}

		public void setServices(Map<String, Service> services) {
			this.services = services;
		}

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getEjectionTime() {
			return this.ejectionTime;
		}

		public void setEjectionTime(Duration ejectionTime) {
			this.ejectionTime = ejectionTime;
		}

		/**
		 * Settings of one service.
		 */
		public static class Service {

			/**
			 * Strategy for this service (see beacon.client.load-balancer.strategy).
			 */
			private String strategy;

			public String getStrategy() {
				return this.strategy;
			}

			public void setStrategy(String strategy) {
				this.strategy = strategy;
			}

		}

	}

}
