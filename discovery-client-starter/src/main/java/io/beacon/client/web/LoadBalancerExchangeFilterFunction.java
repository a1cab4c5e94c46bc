package io.beacon.client.web;

import java.net.ConnectException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.beacon.client.ServiceInstance;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.netty.channel.ConnectTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Sends a request for {@code http://service-name/path} to an UP instance of that service, chosen by
 * the service's strategy from the cached view.
 * <p>
 * When the connection to the chosen instance fails before the request was sent (refused, or no
 * connection in time), nothing reached the instance, so the request is tried on another instance
 * whatever its method, and the instance is ejected for a short while. Failures after the request
 * may have been sent (a timeout, the connection closing early, a 502/503/504) are retried only
 * for idempotent requests: GET, HEAD, OPTIONS, PUT and DELETE, and requests carrying an
 * {@code Idempotency-Key} header (draft-ietf-httpapi-idempotency-key-header), whose server
 * promises to apply them at most once.
 */
public final class LoadBalancerExchangeFilterFunction implements ExchangeFilterFunction {

	/** The header by which a client promises a request may be applied more than once safely. */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	private final Function<String, List<ServiceInstance>> cached;

	private final Function<String, Mono<List<ServiceInstance>>> lookup;

	private final LoadBalancer loadBalancer;

	private final int maxRetries;

	private final LoadBalancerMetrics metrics;

	/**
	 * @param cached the cached UP instances of a service, {@code null} when not loaded yet
	 * @param lookup loads the UP instances of a service not cached yet
	 * @param loadBalancer chooses instances
	 * @param maxRetries how many other instances one request may be tried on
	 * @param metrics told about attempts, retries and ejections
	 */
	public LoadBalancerExchangeFilterFunction(Function<String, List<ServiceInstance>> cached,
			Function<String, Mono<List<ServiceInstance>>> lookup, LoadBalancer loadBalancer, int maxRetries,
			LoadBalancerMetrics metrics) {
		this.cached = cached;
		this.lookup = lookup;
		this.loadBalancer = loadBalancer;
		this.maxRetries = maxRetries;
		this.metrics = metrics;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		String host = request.url().getHost();
		if (host == null) {
			return Mono.error(new IllegalArgumentException(
					"A load-balanced request needs a service name as its host, as in http://payment-service/path; got "
							+ request.url()));
		}
		String service = host.toLowerCase(Locale.ROOT);
		List<ServiceInstance> up = this.cached.apply(service);
		if (up != null) {
			return attempt(request, next, service, up, Set.of(), this.maxRetries);
		}
		return this.lookup.apply(service)
			.onErrorMap((ex) -> !(ex instanceof NoInstanceAvailableException),
					(ex) -> new NoInstanceAvailableException(service,
							"it is not cached yet and the registry could not be asked (" + ex.getMessage() + ")"))
			.flatMap((list) -> attempt(request, next, service, list, Set.of(), this.maxRetries));
	}

	private Mono<ClientResponse> attempt(ClientRequest request, ExchangeFunction next, String service,
			List<ServiceInstance> up, Set<ServiceInstance> tried, int retriesLeft) {
		ServiceInstance instance = this.loadBalancer.choose(service, up, tried);
		if (instance == null) {
			String reason = up.isEmpty() ? "the registry lists no UP instance"
					: "all " + up.size() + " UP instances failed for this request";
			return Mono.error(new NoInstanceAvailableException(service, reason));
		}
		ClientRequest routed = ClientRequest.from(request).url(rewrite(request.url(), instance)).build();
		long start = System.nanoTime();
		LoadBalancer.Attempt attempt = this.loadBalancer.started(instance);
		// This attempt's outcome is settled before any retry starts, outside this attempt's error
		// handling: a retry that fails is that retry's failure, never this instance's.
		return next.exchange(routed)
			.doOnCancel(attempt::abandoned)
			.map(Outcome::answered)
			.onErrorResume((ex) -> Mono.just(Outcome.failed(ex)))
			.flatMap((outcome) -> {
				Retry retry = (outcome.response() != null)
						? answered(request, service, instance, outcome.response(), attempt, start, tried, retriesLeft)
						: failed(request, service, instance, outcome.error(), attempt, start, tried, retriesLeft);
				if (retry == null) {
					return (outcome.response() != null) ? Mono.just(outcome.response())
							: Mono.error(outcome.error());
				}
				Mono<Void> release = (outcome.response() != null) ? outcome.response().releaseBody() : Mono.empty();
				return release.then(Mono.defer(() -> attempt(request, next, service, current(service, up),
						retry.tried(), retriesLeft - 1)));
			});
	}

	/** Counts an answer; returns the retry to make, or {@code null} to hand the answer back. */
	private Retry answered(ClientRequest request, String service, ServiceInstance instance, ClientResponse response,
			LoadBalancer.Attempt attempt, long start, Set<ServiceInstance> tried, int retriesLeft) {
		int status = response.statusCode().value();
		attempt.finished(status >= 500);
		this.metrics.attempt(instance, outcome(status), System.nanoTime() - start);
		boolean unavailable = status == 502 || status == 503 || status == 504;
		if (unavailable && retriesLeft > 0 && idempotent(request)) {
			Set<ServiceInstance> triedNow = with(tried, instance);
			if (hasAnother(service, triedNow)) {
				this.metrics.retry(service, "status_" + status);
				return new Retry(triedNow);
			}
		}
		return null;
	}

	/** Counts a failure; returns the retry to make, or {@code null} to hand the failure back. */
	private Retry failed(ClientRequest request, String service, ServiceInstance instance, Throwable ex,
			LoadBalancer.Attempt attempt, long start, Set<ServiceInstance> tried, int retriesLeft) {
		boolean notSent = connectFailure(ex);
		attempt.finished(true);
		this.metrics.attempt(instance, notSent ? "CONNECT_FAILURE" : "FAILURE", System.nanoTime() - start);
		if (notSent) {
			this.loadBalancer.eject(instance);
			this.metrics.ejected(instance);
		}
		boolean retryable = notSent || (idempotent(request) && transientFailure(ex));
		Set<ServiceInstance> triedNow = with(tried, instance);
		if (retryable && retriesLeft > 0 && hasAnother(service, triedNow)) {
			this.metrics.retry(service, notSent ? "connect" : "io");
			return new Retry(triedNow);
		}
		return null;
	}

	/** What one attempt came back with: an answer or a failure. */
	private record Outcome(ClientResponse response, Throwable error) {

		static Outcome answered(ClientResponse response) {
			return new Outcome(response, null);
		}

		static Outcome failed(Throwable error) {
			return new Outcome(null, error);
		}

	}

	/** A retry to make, with the instances tried so far. */
	private record Retry(Set<ServiceInstance> tried) {
	}

	/** The instances tried so far and one more: allocated only when a request is retried. */
	private static Set<ServiceInstance> with(Set<ServiceInstance> tried, ServiceInstance instance) {
		Set<ServiceInstance> more = new HashSet<>(tried);
		more.add(instance);
		return more;
	}

	/** The latest cached view, which may have changed since the request started. */
	private List<ServiceInstance> current(String service, List<ServiceInstance> fallback) {
		List<ServiceInstance> up = this.cached.apply(service);
		return (up != null) ? up : fallback;
	}

	private boolean hasAnother(String service, Set<ServiceInstance> tried) {
		List<ServiceInstance> up = this.cached.apply(service);
		if (up == null) {
			return false;
		}
		for (ServiceInstance instance : up) {
			if (!tried.contains(instance)) {
				return true;
			}
		}
		return false;
	}

	/** The request URL with the service name replaced by the instance's address, the rest kept as encoded. */
	static URI rewrite(URI url, ServiceInstance instance) {
		StringBuilder target = new StringBuilder(96).append(instance.secure() ? "https://" : "http://");
		if (instance.host().indexOf(':') >= 0) {
			target.append('[').append(instance.host()).append(']');
		}
		else {
			target.append(instance.host());
		}
		target.append(':').append(instance.port());
		String path = url.getRawPath();
		target.append((path != null && !path.isEmpty()) ? path : "/");
		if (url.getRawQuery() != null) {
			target.append('?').append(url.getRawQuery());
		}
		if (url.getRawFragment() != null) {
			target.append('#').append(url.getRawFragment());
		}
		return URI.create(target.toString());
	}

	static boolean idempotent(ClientRequest request) {
		HttpHeaders headers = request.headers();
		return IDEMPOTENT.contains(request.method()) || headers.containsHeader(IDEMPOTENCY_KEY);
	}

	/** Nothing reached the instance: the connection itself failed. */
	static boolean connectFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/** The request may have reached the instance, but no complete answer came back. */
	static boolean transientFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PrematureCloseException || cause instanceof TimeoutException
					|| cause instanceof java.io.IOException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static String outcome(int status) {
		if (status >= 500) {
			return "SERVER_ERROR";
		}
		return (status >= 400) ? "CLIENT_ERROR" : "SUCCESS";
	}

}
