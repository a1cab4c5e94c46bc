package io.beacon.sample.order;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * An order to place.
 *
 * @param item what is ordered
 * @param amount its price, more than 0 and at most 1,000,000, with at most 2 decimals
 */
public record OrderRequest(@NotBlank @Size(max = 100) String item,
		@NotNull @DecimalMin("0.01") @DecimalMax("1000000") @Digits(integer = 7, fraction = 2) BigDecimal amount) {
}
