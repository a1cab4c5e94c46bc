package io.beacon.sample.order;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import io.beacon.client.web.LoadBalanced;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls payment-service by name. The Idempotency-Key (the order id) lets the load balancer retry a
 * payment on another instance when the first one died mid-request, and lets payment-service take it
 * only once.
 */
@Component
class PaymentClient {

	private final WebClient payments;

	PaymentClient(@LoadBalanced WebClient.Builder builder) {
		this.payments = builder.baseUrl("http://payment-service").build();
	}

	Mono<Order.PaymentResult> pay(String orderId, BigDecimal amount) {
		return this.payments.post()
			.uri("/payments")
			.header("Idempotency-Key", orderId)
			.bodyValue(Map.of("orderId", orderId, "amount", amount))
			.retrieve()
			.bodyToMono(Order.PaymentResult.class)
			.timeout(Duration.ofSeconds(5));
	}

}
