package io.beacon.sample.order;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An order and its payment.
 *
 * @param orderId its id
 * @param item what was ordered
 * @param amount its price
 * @param status PAID once payment-service took the payment
 * @param payment the payment, as payment-service answered it
 * @param createdAt when
 */
public record Order(String orderId, String item, BigDecimal amount, String status, PaymentResult payment,
		Instant createdAt) {

	/**
	 * What payment-service answered (fields it may add later are ignored).
	 *
	 * @param paymentId the payment's id
	 * @param status its status
	 * @param servedBy the payment-service instance that took it
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record PaymentResult(String paymentId, String status, String servedBy) {
	}

}
