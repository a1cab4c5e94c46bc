package io.beacon.sample.payment;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A request to pay an order.
 *
 * @param orderId the order paid for
 * @param amount the amount, more than 0 and at most 1,000,000, with at most 2 decimals
 */
public record PaymentRequest(
		@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}",
				message = "must be 1-64 letters, digits, '_' or '-'") String orderId,
		@NotNull @DecimalMin(value = "0.01") @DecimalMax("1000000") @Digits(integer = 7,
				fraction = 2) BigDecimal amount) {
}
