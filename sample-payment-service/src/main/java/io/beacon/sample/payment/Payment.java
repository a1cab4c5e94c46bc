package io.beacon.sample.payment;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A payment taken.
 *
 * @param paymentId its id
 * @param orderId the order it pays for
 * @param amount the amount
 * @param status always PAID in this sample
 * @param servedBy the instance id of the payment-service instance that took it
 * @param paidAt when
 */
public record Payment(String paymentId, String orderId, BigDecimal amount, String status, String servedBy,
		Instant paidAt) {
}
