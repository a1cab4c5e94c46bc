package io.beacon.sample.payment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The payments this instance took, in memory, the oldest forgotten past a bound. A payment request
 * carrying an Idempotency-Key is taken at most once per key: a retry gets the same payment back.
 */
class PaymentLedger {

	private static final int CAPACITY = 100_000;

	private final Map<String, Payment> byId = bounded();

	private final Map<String, Payment> byIdempotencyKey = bounded();

	synchronized Payment pay(PaymentRequest request, String idempotencyKey, String servedBy) {
		if (idempotencyKey != null) {
			Payment earlier = this.byIdempotencyKey.get(idempotencyKey);
			if (earlier != null) {
				return earlier;
			}
		}
		Payment payment = new Payment(UUID.randomUUID().toString(), request.orderId(),
				request.amount().setScale(2, java.math.RoundingMode.UNNECESSARY), "PAID", servedBy, Instant.now());
		this.byId.put(payment.paymentId(), payment);
		if (idempotencyKey != null) {
			this.byIdempotencyKey.put(idempotencyKey, payment);
		}
		return payment;
	}

	synchronized Optional<Payment> find(String paymentId) {
		return Optional.ofNullable(this.byId.get(paymentId));
	}

	private static <V> Map<String, V> bounded() {
		return new LinkedHashMap<>(16, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
				return size() > CAPACITY;
			}
		};
	}

}
