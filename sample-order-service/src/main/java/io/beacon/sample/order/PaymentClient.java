package io.beacon.sample.order;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import io.beacon.client.web.LoadBalanced;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Calls payment-service by name. The Idempotency-Key (the order id) lets the load balancer retry a
 * payment on another instance when the first one died mid-request, and lets payment-service take it
 * only once. An instance that dies after its status line but before the end of its answer leaves
 * a success status with no readable payment: the load balancer has handed the answer on by then,
 * so this client asks again itself, once (the same key, so still one payment).
 */
@Component
class PaymentClient {

	private final WebClient payments;

	@Autowired
	PaymentClient(@LoadBalanced WebClient.Builder builder) {
		this(builder, "http://payment-service");
	}

	/** Calls {@code baseUrl} instead: payment-service at a known address. */
	PaymentClient(WebClient.Builder builder, String baseUrl) {
		this.payments = builder.baseUrl(baseUrl).build();
	}

	Mono<Order.PaymentResult> pay(String orderId, BigDecimal amount) {
		return this.payments.post()
			.uri("/payments")
			.header("Idempotency-Key", orderId)
			.bodyValue(Map.of("orderId", orderId, "amount", amount))
			.retrieve()
			.bodyToMono(Order.PaymentResult.class)
			.retryWhen(Retry.max(1)
				.filter(PaymentClient::answerCutShort)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.timeout(Duration.ofSeconds(5));
	}

	/** A success status whose body could not be read to its end: the connection broke mid-answer. */
	private static boolean answerCutShort(Throwable ex) {
		return ex instanceof WebClientResponseException response && response.getStatusCode().is2xxSuccessful()
				&& response.getCause() instanceof IOException;
	}

}
