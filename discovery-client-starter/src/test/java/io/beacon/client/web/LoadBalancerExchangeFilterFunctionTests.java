package io.beacon.client.web;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import io.beacon.client.loadbalancer.Ejections;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.loadbalancer.RoundRobinStrategy;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LoadBalancerExchangeFilterFunctionTests {

	private final List<ServiceInstance> up = List.of(instance("a", 8001), instance("b", 8002), instance("c", 8003));

	private final LoadBalancer loadBalancer = new LoadBalancer(new RoundRobinStrategy(), Map.of(),
			new Ejections(System::nanoTime), Duration.ofSeconds(10));

	private final List<URI> sent = new ArrayList<>();

	@Test
	void rewritesTheServiceNameToTheChosenInstanceKeepingPathAndQuery() {
		ExchangeFunction next = answering((request) -> Mono.just(ok()));
		filter(1).filter(request(HttpMethod.GET, "http://svc/pay/x%20y?amount=1&q=a%2Fb"), next).block();
		assertThat(this.sent).containsExactly(URI.create("http://127.0.0.1:8001/pay/x%20y?amount=1&q=a%2Fb"));
	}

	@Test
	void refusedConnectionIsRetriedOnAnotherInstanceWhateverTheMethodAndEjected() {
		ExchangeFunction next = answering((request) -> (request.url().getPort() == 8001) ? Mono.error(refused())
				: Mono.just(ok()));
		ClientResponse response = filter(1).filter(request(HttpMethod.POST, "http://svc/pay"), next).block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.sent).extracting(URI::getPort).hasSize(2).startsWith(8001).doesNotHaveDuplicates();
		assertThat(this.loadBalancer.ejections().isEjected(this.up.get(0))).isTrue();
	}

	@Test
	void connectionClosedAfterSendingIsNotRetriedForAPost() {
		ExchangeFunction next = answering((request) -> Mono.error(closedEarly()));
		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> filter(1).filter(request(HttpMethod.POST, "http://svc/pay"), next).block());
		assertThat(this.sent).hasSize(1);
		assertThat(this.loadBalancer.ejections().isEjected(this.up.get(0))).isFalse();
	}

	@Test
	void connectionClosedAfterSendingIsRetriedForAGetAndForAPostWithAnIdempotencyKey() {
		ExchangeFunction next = answering((request) -> (request.url().getPort() == 8001) ? Mono.error(closedEarly())
				: Mono.just(ok()));
		assertThat(filter(1).filter(request(HttpMethod.GET, "http://svc/x"), next).block().statusCode().value())
			.isEqualTo(200);
		this.sent.clear();
		ClientRequest keyed = ClientRequest.from(request(HttpMethod.POST, "http://svc/pay"))
			.header(LoadBalancerExchangeFilterFunction.IDEMPOTENCY_KEY, "order-42")
			.build();
		filter(1).filter(keyed, nextFirstFails()).block();
		assertThat(this.sent).hasSize(2);
	}

	@Test
	void serviceUnavailableIsRetriedOnlyForIdempotentRequests() {
		ExchangeFunction next = answering((request) -> Mono.just((request.url().getPort() == 8001)
				? ClientResponse.create(HttpStatus.SERVICE_UNAVAILABLE).build() : ok()));
		assertThat(filter(1).filter(request(HttpMethod.GET, "http://svc/x"), next).block().statusCode().value())
			.isEqualTo(200);
		this.sent.clear();
		LoadBalancerExchangeFilterFunction fresh = new LoadBalancerExchangeFilterFunction((service) -> this.up,
				(service) -> Mono.just(this.up),
				new LoadBalancer(new RoundRobinStrategy(), Map.of(), new Ejections(System::nanoTime),
						Duration.ofSeconds(10)),
				1, LoadBalancerMetrics.NONE);
		assertThat(fresh.filter(request(HttpMethod.POST, "http://svc/x"), next).block().statusCode().value())
			.isEqualTo(503);
		assertThat(this.sent).hasSize(1);
	}

	@Test
	void retryBudgetIsRespected() {
		ExchangeFunction next = answering((request) -> Mono.error(refused()));
		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> filter(1).filter(request(HttpMethod.GET, "http://svc/x"), next).block());
		assertThat(this.sent).hasSize(2);
		this.sent.clear();
		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> filter(0).filter(request(HttpMethod.GET, "http://svc/y"), next).block());
		assertThat(this.sent).hasSize(1);
	}

	@Test
	void noUpInstanceIsAClearErrorNamingTheService() {
		LoadBalancerExchangeFilterFunction filter = new LoadBalancerExchangeFilterFunction((service) -> List.of(),
				(service) -> Mono.just(List.of()), this.loadBalancer, 1, LoadBalancerMetrics.NONE);
		assertThatExceptionOfType(NoInstanceAvailableException.class)
			.isThrownBy(() -> filter.filter(request(HttpMethod.GET, "http://payment-service/x"),
					answering((r) -> Mono.just(ok()))).block())
			.withMessage("No instance of service 'payment-service' is available: the registry lists no UP instance");
	}

	@Test
	void requestsInFlightAreCountedUntilTheAnswer() {
		ExchangeFunction next = answering((request) -> {
			assertThat(this.loadBalancer.inFlight().count(this.up.get(0))).isEqualTo(1);
			return Mono.just(ok());
		});
		filter(1).filter(request(HttpMethod.GET, "http://svc/x"), next).block();
		assertThat(this.loadBalancer.inFlight().count(this.up.get(0))).isZero();
		assertThat(this.loadBalancer.stats().get("svc/a").requests()).isEqualTo(1);
	}

	@Test
	void aRetryThatFailsIsCountedAgainstTheInstanceItWentToNotTheFirstOne() {
		// the first instance answers 503, every other one refuses the connection
		ExchangeFunction next = answering((request) -> (request.url().getPort() == 8001)
				? Mono.just(ClientResponse.create(HttpStatus.SERVICE_UNAVAILABLE).build()) : Mono.error(refused()));
		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> filter(1).filter(request(HttpMethod.GET, "http://svc/x"), next).block());
		assertThat(this.sent).as("one attempt and one retry").hasSize(2);
		ServiceInstance first = this.up.get(0);
		ServiceInstance retried = this.up.stream()
			.filter((instance) -> instance.port() == this.sent.get(1).getPort())
			.findFirst()
			.orElseThrow();
		assertThat(this.loadBalancer.inFlight().count(first)).isZero();
		assertThat(this.loadBalancer.inFlight().count(retried)).isZero();
		assertThat(this.loadBalancer.ejections().isEjected(first)).isFalse();
		assertThat(this.loadBalancer.ejections().isEjected(retried)).isTrue();
		assertThat(this.loadBalancer.stats().get("svc/a").failures()).isEqualTo(1);
	}

	@Test
	void aCancelledRequestIsNoLongerCountedInFlight() {
		ExchangeFunction next = answering((request) -> Mono.never());
		reactor.core.Disposable call = filter(1).filter(request(HttpMethod.GET, "http://svc/x"), next).subscribe();
		assertThat(this.loadBalancer.inFlight().count(this.up.get(0))).isEqualTo(1);
		call.dispose();
		assertThat(this.loadBalancer.inFlight().count(this.up.get(0))).isZero();
	}

	@Test
	void idempotencyIsDecidedByMethodOrKey() {
		assertThat(LoadBalancerExchangeFilterFunction.idempotent(request(HttpMethod.PUT, "http://s/"))).isTrue();
		assertThat(LoadBalancerExchangeFilterFunction.idempotent(request(HttpMethod.DELETE, "http://s/"))).isTrue();
		assertThat(LoadBalancerExchangeFilterFunction.idempotent(request(HttpMethod.PATCH, "http://s/"))).isFalse();
		assertThat(LoadBalancerExchangeFilterFunction.connectFailure(refused())).isTrue();
		assertThat(LoadBalancerExchangeFilterFunction.connectFailure(closedEarly())).isFalse();
		assertThat(LoadBalancerExchangeFilterFunction.transientFailure(new TimeoutException())).isTrue();
	}

	private ExchangeFunction nextFirstFails() {
		return answering((request) -> (this.sent.size() == 1) ? Mono.error(closedEarly()) : Mono.just(ok()));
	}

	private LoadBalancerExchangeFilterFunction filter(int retries) {
		return new LoadBalancerExchangeFilterFunction((service) -> this.up, (service) -> Mono.just(this.up),
				this.loadBalancer, retries, LoadBalancerMetrics.NONE);
	}

	private ExchangeFunction answering(java.util.function.Function<ClientRequest, Mono<ClientResponse>> answer) {
		return (request) -> {
			this.sent.add(request.url());
			return answer.apply(request);
		};
	}

	private static ClientRequest request(HttpMethod method, String url) {
		return ClientRequest.create(method, URI.create(url)).build();
	}

	private static ClientResponse ok() {
		return ClientResponse.create(HttpStatus.OK).build();
	}

	private static WebClientRequestException refused() {
		return new WebClientRequestException(new ConnectException("Connection refused"), HttpMethod.GET,
				URI.create("http://x"), new HttpHeaders());
	}

	private static WebClientRequestException closedEarly() {
		return new WebClientRequestException(
				PrematureCloseException.TEST_EXCEPTION, HttpMethod.POST,
				URI.create("http://x"), new HttpHeaders());
	}

	private static ServiceInstance instance(String id, int port) {
		return new ServiceInstance(id, "svc", "127.0.0.1", port, false, InstanceStatus.UP, null, Map.of());
	}

}
