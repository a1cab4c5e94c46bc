package io.beacon.sample.order;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders} places an order and pays it; {@code GET /orders/{id}} shows one.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

	private static final int CAPACITY = 100_000;

	private final PaymentClient payments;

	private final Map<String, Order> orders = new LinkedHashMap<>(16, 0.75f, false) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Order> eldest) {
			return size() > CAPACITY;
		}
	};

	OrderController(PaymentClient payments) {
		this.payments = payments;
	}

	@PostMapping
	Mono<ResponseEntity<Order>> place(@Valid @RequestBody OrderRequest request) {
		String orderId = UUID.randomUUID().toString();
		return this.payments.pay(orderId, request.amount()).map((payment) -> {
			Order order = new Order(orderId, request.item(), request.amount(), "PAID", payment, Instant.now());
			synchronized (this.orders) {
				this.orders.put(orderId, order);
			}
			return ResponseEntity.created(URI.create("/orders/" + orderId)).body(order);
		});
	}

	@GetMapping("/{orderId}")
	ResponseEntity<?> get(@PathVariable String orderId) {
		Order order;
		synchronized (this.orders) {
			order = this.orders.get(orderId);
		}
		if (order != null) {
			return ResponseEntity.ok(order);
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No order '" + orderId.replaceAll("[^A-Za-z0-9_-]", "?") + "' was placed here");
		problem.setTitle("Order not found");
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
	}

}
