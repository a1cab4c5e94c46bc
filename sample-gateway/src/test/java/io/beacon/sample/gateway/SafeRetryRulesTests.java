package io.beacon.sample.gateway;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests may be sent again after failing mid-request: the starter's rules.
 */
class SafeRetryRulesTests {

	@Test
	void idempotentMethodsMayBeSentAgain() {
		assertThat(SafeRetryGatewayFilterFactory.repeatable(MockServerHttpRequest.get("/payment-service/p").build()))
			.isTrue();
		assertThat(SafeRetryGatewayFilterFactory.repeatable(MockServerHttpRequest.put("/payment-service/p").build()))
			.isTrue();
		assertThat(SafeRetryGatewayFilterFactory.repeatable(MockServerHttpRequest.delete("/payment-service/p").build()))
			.isTrue();
	}

	@Test
	void aPostIsSentAgainOnlyWithAnIdempotencyKey() {
		assertThat(SafeRetryGatewayFilterFactory.repeatable(MockServerHttpRequest.post("/payment-service/payments")
			.build())).isFalse();
		assertThat(SafeRetryGatewayFilterFactory.repeatable(MockServerHttpRequest.post("/payment-service/payments")
			.header("Idempotency-Key", "order-7")
			.build())).isTrue();
		assertThat(SafeRetryGatewayFilterFactory.repeatable(MockServerHttpRequest.patch("/payment-service/payments/1")
			.build())).isFalse();
	}

}
