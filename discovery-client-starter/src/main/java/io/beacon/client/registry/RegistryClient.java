package io.beacon.client.registry;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The registry's REST API v1 over HTTP, with failover: a call that cannot reach the current registry
 * URL is tried on the next one, and the client stays on the one that answered. A registry URL may
 * carry a base path (a registry behind a reverse proxy): every call, the watch stream included, goes
 * below it. Uses its own connection pool, so the application's HTTP clients are not affected by
 * registry traffic.
 */
public class RegistryClient implements AutoCloseable {

	/** The header that numbers a register or status write, so the registry can refuse a late one. */
	public static final String WRITE_SEQ_HEADER = "Beacon-Write-Seq";

	/** The write number of a write sent without one. */
	public static final long UNSEQUENCED = 0;

	private static final Logger logger = LoggerFactory.getLogger(RegistryClient.class);

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private static final TypeReference<Map<String, List<ServiceInstance>>> SERVICES = new TypeReference<>() {
	};

	/** Stands for any frame but the binding (keep-alives), so the idle timer sees every frame. */
	private static final LeaseBinding NOT_BOUND = new LeaseBinding("", Duration.ZERO, Duration.ZERO);

	/** The comment a resumed stream starts with. */
	private static final String RESUMED = "resumed at index ";

	/**
	 * The largest response read into memory: a lookup or watch snapshot of a large service (about
	 * 300 bytes an instance, so some 100,000 instances), far above WebClient's default of 256 KiB.
	 */
	static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

	/**
	 * Added to the longest a call can take for a caller blocking on it: the caller then sees the
	 * client's own, specific error rather than its own timeout.
	 */
	private static final Duration BLOCKING_MARGIN = Duration.ofMillis(500);

	private final List<URI> urls;

	private final AtomicInteger current = new AtomicInteger();

	private final Duration timeout;

	private final ConnectionProvider connections;

	private final WebClient webClient;

	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final RegistryCallListener listener;

	/**
	 * @param urls the registry URLs, tried in this order
	 * @param connectTimeout how long to wait for a connection
	 * @param timeout how long one attempt of a call (on one registry URL) may take; the watch
	 * stream is timed by its idle timeout instead
	 * @param listener told about every call
	 */
	public RegistryClient(List<URI> urls, Duration connectTimeout, Duration timeout, RegistryCallListener listener) {
		this(urls, connectTimeout, timeout, listener, BeaconCredentials.NONE, null);
	}

	/**
	 * @param urls the registry URLs, tried in this order
	 * @param connectTimeout how long to wait for a connection
	 * @param timeout how long a call may take in all (the watch stream excepted)
	 * @param listener told about every call
	 * @param credentials the token sent on every call and watch stream
	 * @param ssl the SSL bundle for HTTPS registry URLs (a private CA), {@code null} for the JDK's
	 * default trust
	 */
	public RegistryClient(List<URI> urls, Duration connectTimeout, Duration timeout, RegistryCallListener listener,
			BeaconCredentials credentials, SslBundle ssl) {
		if (urls.isEmpty()) {
			throw new IllegalArgumentException("At least one registry URL is required");
		}
		for (URI url : urls) {
			if (url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
				throw new IllegalArgumentException(
						"A registry URL needs a host and no query or fragment, got '" + url + "'");
			}
		}
		this.urls = List.copyOf(urls);
		this.timeout = timeout;
		this.listener = listener;
		this.connections = ConnectionProvider.builder("beacon-registry")
			.maxConnections(16)
			.pendingAcquireTimeout(timeout)
			.maxIdleTime(Duration.ofSeconds(20))
			.build();
		HttpClient http = HttpClient.create(this.connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
		if (ssl != null) {
			http = RegistryTls.apply(http, ssl);
		}
		// The one place the token is added: read at each exchange, so a rotated token is used at once.
		this.webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(MAX_RESPONSE_BYTES))
			.filter((request, next) -> {
				String token = credentials.token();
				return next.exchange((token == null) ? request
						: ClientRequest.from(request).headers((headers) -> headers.setBearerAuth(token)).build());
			})
			.build();
	}

	/** The registry URL calls go to now. */
	public URI currentUrl() {
		return this.urls.get(Math.floorMod(this.current.get(), this.urls.size()));
	}

	public List<URI> urls() {
		return this.urls;
	}

	/**
	 * The longest one call can take, failover included (each URL tried once), with a margin: how long
	 * a caller blocking on a call should wait.
	 */
	public Duration callTimeout() {
		return this.timeout.multipliedBy(this.urls.size()).plus(BLOCKING_MARGIN);
	}

	/** Registers (or re-registers) an instance. */
	public Mono<ServiceInstance> register(String service, RegistrationRequest request) {
		return register(service, request, UNSEQUENCED);
	}

	/**
	 * Registers (or re-registers) an instance as write number {@code writeSeq} of this client (sent as
	 * {@value #WRITE_SEQ_HEADER}; {@link #UNSEQUENCED} sends none): the registry refuses it with a 409
	 * if it already applied a write with a higher number to the instance.
	 */
	public Mono<ServiceInstance> register(String service, RegistrationRequest request, long writeSeq) {
		byte[] body = this.json.writeValueAsBytes(request);
		return call("register", (base) -> this.webClient.post()
			.uri(endpoint(base, "/v1/services/" + service + "/instances"))
			.headers((headers) -> writeSeq(headers, writeSeq))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> read(response, ServiceInstance.class, service, request.instanceId())));
	}

	/** Renews a lease; fails with {@link InstanceNotRegisteredException} when the registry forgot us. */
	public Mono<Void> heartbeat(String service, String instanceId) {
		return call("heartbeat", (base) -> this.webClient.put()
			.uri(endpoint(base, instancePath(service, instanceId) + "/heartbeat"))
			.exchangeToMono((response) -> read(response, Void.class, service, instanceId)));
	}

	/** Reports a new status. */
	public Mono<ServiceInstance> updateStatus(String service, String instanceId, InstanceStatus status) {
		return updateStatus(service, instanceId, status, null);
	}

	/**
	 * Reports a new status with the cause the registry publishes for it.
	 * @param cause {@code health_down} (with DOWN), {@code health_restored} (with UP), or {@code null}
	 * for a plain status change
	 */
	public Mono<ServiceInstance> updateStatus(String service, String instanceId, InstanceStatus status, String cause) {
		return updateStatus(service, instanceId, status, cause, UNSEQUENCED);
	}

	/**
	 * Reports a new status as write number {@code writeSeq} of this client, like
	 * {@link #register(String, RegistrationRequest, long)}.
	 */
	public Mono<ServiceInstance> updateStatus(String service, String instanceId, InstanceStatus status, String cause,
			long writeSeq) {
		byte[] body = this.json.writeValueAsBytes(
				(cause != null) ? Map.of("status", status.name(), "cause", cause) : Map.of("status", status.name()));
		return call("status", (base) -> this.webClient.put()
			.uri(endpoint(base, instancePath(service, instanceId) + "/status"))
			.headers((headers) -> writeSeq(headers, writeSeq))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> read(response, ServiceInstance.class, service, instanceId)));
	}

	private static void writeSeq(HttpHeaders headers, long writeSeq) {
		if (writeSeq != UNSEQUENCED) {
			headers.set(WRITE_SEQ_HEADER, Long.toString(writeSeq));
		}
	}

	/** Deregisters; an instance the registry no longer knows counts as deregistered. */
	public Mono<Void> deregister(String service, String instanceId) {
		return call("deregister", (base) -> this.webClient.delete()
			.uri(endpoint(base, instancePath(service, instanceId)))
			.exchangeToMono((response) -> read(response, Void.class, service, instanceId)))
			.onErrorResume(InstanceNotRegisteredException.class, (ex) -> Mono.empty());
	}

	/** Every instance of a service, any status. */
	public Mono<ServiceView> fetch(String service) {
		return call("fetch", (base) -> this.webClient.get()
			.uri(endpoint(base, "/v1/services/" + service + "?status=ALL"))
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> read(response, ServiceView.class, service, null)));
	}

	/** The names of every service in the registry. */
	public Mono<List<String>> services() {
		return call("services", (base) -> this.webClient.get()
			.uri(endpoint(base, "/v1/services"))
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> read(response, JsonNode.class, null, null)))
			.map((body) -> {
				List<String> names = new ArrayList<>();
				for (JsonNode service : body.get("services")) {
					names.add(service.get("service").stringValue());
				}
				return names;
			});
	}

	/**
	 * Opens the watch stream on the current registry URL. The flux ends or fails when the
	 * connection does; the caller reconnects. A connection that stays silent for longer than its
	 * idle timeout (the registry sends keep-alives, and announces how often) counts as broken.
	 */
	public Flux<WatchEvent> watch(Set<String> services, OptionalLong lastEventId, WatchIdleTimeout idleTimeout) {
		URI base = currentUrl();
		UriComponentsBuilder uri = UriComponentsBuilder.fromUri(endpoint(base, "/v1/watch"));
		services.forEach((service) -> uri.queryParam("service", service));
		long started = System.nanoTime();
		return this.webClient.get()
			.uri(uri.build().toUri())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> lastEventId.ifPresent((id) -> headers.set("Last-Event-ID", Long.toString(id))))
			.exchangeToFlux((response) -> {
				if (!response.statusCode().is2xxSuccessful()) {
					return read(response, WatchEvent.class, null, null).flux();
				}
				this.listener.onCall("watch", "success", System.nanoTime() - started);
				Duration idle = idleTimeout.forKeepAlive(
						keepAlive(response.headers().asHttpHeaders().getFirst(WatchIdleTimeout.KEEP_ALIVE_HEADER)));
				return response.bodyToFlux(SSE).timeout(idle).concatMapIterable(this::toWatchEvents);
			})
			.onErrorMap((ex) -> !(ex instanceof RegistryRejectedException), (ex) -> {
				rotate(base);
				return new RegistryUnavailableException("Watch stream from " + base + " broke: " + describe(ex), ex);
			});
	}

	/**
	 * Opens the lease stream of a registered instance on the current registry URL; opening it renews
	 * the lease. The flux gives the binding once the registry has sent it, completes when the registry
	 * ends the stream (the instance was removed), and fails when the connection breaks or stays silent
	 * for {@value WatchIdleTimeout#MISSED_KEEP_ALIVES} of the announced keep-alive intervals (until the
	 * binding arrives: the call timeout); the caller reconnects, and the next attempt goes to the next
	 * registry URL. Fails with {@link InstanceNotRegisteredException} when the registry does not know
	 * the instance.
	 */
	public Flux<LeaseBinding> leaseStream(String service, String instanceId) {
		URI base = currentUrl();
		long started = System.nanoTime();
		AtomicReference<Duration> idle = new AtomicReference<>(this.timeout);
		return this.webClient.get()
			.uri(endpoint(base, instancePath(service, instanceId) + "/lease"))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToFlux((response) -> {
				if (!response.statusCode().is2xxSuccessful()) {
					return read(response, LeaseBinding.class, service, instanceId).flux();
				}
				this.listener.onCall("lease-stream", "success", System.nanoTime() - started);
				return response.bodyToFlux(SSE)
					.map((event) -> "bound".equals(event.event()) ? toBinding(event.data()) : NOT_BOUND)
					.doOnNext((binding) -> {
						if (binding != NOT_BOUND) {
							idle.set(binding.keepAlive().multipliedBy(WatchIdleTimeout.MISSED_KEEP_ALIVES));
						}
					})
					.timeout(Mono.delay(this.timeout), (item) -> Mono.delay(idle.get()))
					.filter((binding) -> binding != NOT_BOUND);
			})
			.onErrorMap((ex) -> !(ex instanceof RegistryRejectedException || ex instanceof InstanceNotRegisteredException),
					(ex) -> {
						rotate(base);
						return new RegistryUnavailableException(
								"Lease stream from " + base + " broke: " + describe(ex), ex);
					});
	}

	private LeaseBinding toBinding(String data) {
		JsonNode bound = this.json.readTree(data);
		return new LeaseBinding(bound.get("instanceId").stringValue(),
				Duration.ofMillis(bound.get("graceMillis").longValue()),
				Duration.ofMillis(bound.get("keepAliveMillis").longValue()));
	}

	/** The keep-alive interval a registry announces, or {@code null} when it announces none we can read. */
	private static Duration keepAlive(String header) {
		if (header == null) {
			return null;
		}
		try {
			return Duration.parse(header.trim());
		}
		catch (DateTimeParseException ex) {
			logger.debug("Ignoring {}: '{}' is not an ISO-8601 duration", WatchIdleTimeout.KEEP_ALIVE_HEADER, header);
			return null;
		}
	}

	private List<WatchEvent> toWatchEvents(ServerSentEvent<String> event) {
		String comment = event.comment();
		if (comment != null && comment.startsWith(RESUMED)) {
			return List.of(new WatchEvent.Resumed(Long.parseLong(comment.substring(RESUMED.length()).trim())));
		}
		if (event.data() == null || event.event() == null) {
			return List.of();
		}
		JsonNode data = this.json.readTree(event.data());
		if ("snapshot".equals(event.event())) {
			Map<String, List<ServiceInstance>> services = new LinkedHashMap<>(
					this.json.treeToValue(data.get("services"), SERVICES));
			return List.of(new WatchEvent.Snapshot(data.get("index").longValue(),
					data.get("registryId").stringValue(), services));
		}
		return List.of(new WatchEvent.Change(data.get("index").longValue(), data.get("type").stringValue(),
				data.get("cause").stringValue(), this.json.treeToValue(data.get("instance"), ServiceInstance.class)));
	}

	private <T> Mono<T> call(String operation, Function<URI, Mono<T>> request) {
		return Mono.defer(() -> attempt(operation, request, 0, System.nanoTime()));
	}

	private <T> Mono<T> attempt(String operation, Function<URI, Mono<T>> request, int tried, long started) {
		URI base = currentUrl();
		return request.apply(base)
			.timeout(this.timeout)
			.doOnSuccess((value) -> this.listener.onCall(operation, "success", System.nanoTime() - started))
			.onErrorResume((ex) -> {
				if (ex instanceof InstanceNotRegisteredException) {
					this.listener.onCall(operation, "not_registered", System.nanoTime() - started);
					return Mono.error(ex);
				}
				if (ex instanceof RegistryRejectedException || ex instanceof JacksonException) {
					this.listener.onCall(operation, "rejected", System.nanoTime() - started);
					return Mono.error(ex);
				}
				rotate(base);
				if (tried + 1 < this.urls.size()) {
					return attempt(operation, request, tried + 1, started);
				}
				this.listener.onCall(operation, "unavailable", System.nanoTime() - started);
				return Mono.error(new RegistryUnavailableException(
						"No registry answered " + operation + " (" + this.urls + "): " + describe(ex), ex));
			});
	}

	/** Moves to the next URL, unless another call already moved away from {@code failed}. */
	private void rotate(URI failed) {
		int now = this.current.get();
		if (this.urls.get(Math.floorMod(now, this.urls.size())).equals(failed)) {
			this.current.compareAndSet(now, now + 1);
		}
	}

	private <T> Mono<T> read(ClientResponse response, Class<T> type, String service, String instanceId) {
		HttpStatusCode status = response.statusCode();
		if (status.is2xxSuccessful()) {
			if (type == Void.class) {
				return response.releaseBody().then(Mono.empty());
			}
			return response.bodyToMono(byte[].class).map((bytes) -> this.json.readValue(bytes, type));
		}
		if (status.value() == 404 && instanceId != null) {
			return response.releaseBody().then(Mono.error(new InstanceNotRegisteredException(service, instanceId)));
		}
		if (status.value() == 401 || status.value() == 403) {
			return response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.flatMap((bytes) -> Mono.error(new RegistryAccessDeniedException(status.value(), detail(bytes),
						problemField(bytes, "missing"))));
		}
		if (status.is4xxClientError()) {
			return response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.flatMap((bytes) -> Mono.error(new RegistryRejectedException(status.value(), detail(bytes))));
		}
		return response.releaseBody()
			.then(Mono.error(new RegistryUnavailableException("The registry answered HTTP " + status.value(), null)));
	}

	private String detail(byte[] body) {
		try {
			JsonNode problem = this.json.readTree(body);
			JsonNode detail = problem.get("detail");
			return (detail != null) ? detail.stringValue() : problem.toString();
		}
		catch (JacksonException ex) {
			return "(no problem details)";
		}
	}

	private String problemField(byte[] body, String field) {
		try {
			JsonNode value = this.json.readTree(body).get(field);
			return (value != null && value.isString()) ? value.stringValue() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** An API path below a registry URL, keeping the URL's base path. */
	static URI endpoint(URI base, String apiPath) {
		String root = base.toString();
		if (root.endsWith("/")) {
			root = root.substring(0, root.length() - 1);
		}
		return URI.create(root + apiPath);
	}

	private static String instancePath(String service, String instanceId) {
		return "/v1/services/" + service + "/instances/" + instanceId;
	}

	private static String describe(Throwable ex) {
		if (ex instanceof TimeoutException) {
			return "timed out";
		}
		if (ex instanceof WebClientRequestException && ex.getCause() != null) {
			return ex.getCause().getClass().getSimpleName() + ": " + ex.getCause().getMessage();
		}
		if (ex instanceof PrematureCloseException) {
			return "connection closed";
		}
		return ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

	@Override
	public void close() {
		this.connections.disposeLater().block(Duration.ofSeconds(5));
	}

}
