package io.beacon.sample.payment;

import java.net.URI;

import io.beacon.client.registration.Registrar;
import jakarta.validation.Valid;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /payments} takes a payment, {@code GET /payments/{id}} shows one.
 */
@RestController
@RequestMapping("/payments")
class PaymentController {

	private final PaymentLedger ledger = new PaymentLedger();

	private final ObjectProvider<Registrar> registrar;

	private final Environment environment;

	PaymentController(ObjectProvider<Registrar> registrar, Environment environment) {
		this.registrar = registrar;
		this.environment = environment;
	}

	@PostMapping
	ResponseEntity<Payment> pay(@Valid @RequestBody PaymentRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
		if (idempotencyKey != null && !idempotencyKey.matches("[A-Za-z0-9_:.-]{1,128}")) {
			throw new InvalidIdempotencyKeyException();
		}
		Payment payment = this.ledger.pay(request, idempotencyKey, servedBy());
		return ResponseEntity.created(URI.create("/payments/" + payment.paymentId())).body(payment);
	}

	@GetMapping("/{paymentId}")
	ResponseEntity<?> get(@PathVariable String paymentId) {
		return this.ledger.find(paymentId).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"No payment '" + paymentId.replaceAll("[^A-Za-z0-9_-]", "?") + "' was taken by this instance");
			problem.setTitle("Payment not found");
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
		});
	}

	/** This instance's id in the registry, as callers see it. */
	private String servedBy() {
		Registrar registration = this.registrar.getIfAvailable();
		String id = (registration != null) ? registration.snapshot().instanceId() : null;
		return (id != null) ? id : "local:" + this.environment.getProperty("local.server.port");
	}

	/** An Idempotency-Key header that is not a short token. */
	static class InvalidIdempotencyKeyException extends RuntimeException {

		InvalidIdempotencyKeyException() {
			super("The Idempotency-Key header must be 1-128 letters, digits, '_', ':', '.' or '-'");
		}

	}

}
