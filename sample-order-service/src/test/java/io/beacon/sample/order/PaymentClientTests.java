package io.beacon.sample.order;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The payment call against a real socket that cuts its answers short, as a payment instance killed
 * mid-answer does: a 201 status line and headers, half a body, then the connection closed.
 */
class PaymentClientTests {

	private static final String PAYMENT = "{\"paymentId\":\"p-7\",\"status\":\"PAID\",\"servedBy\":\"127.0.0.1:8082\"}";

	private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();

	private DisposableServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.disposeNow();
		}
	}

	@Test
	void anAnswerCutShortAfterItsSuccessStatusIsAskedForAgainWithTheSameKey() {
		startServer(1);
		Order.PaymentResult payment = client().pay("order-1", new BigDecimal("12.50")).block(Duration.ofSeconds(10));
		assertThat(payment).isEqualTo(new Order.PaymentResult("p-7", "PAID", "127.0.0.1:8082"));
		assertThat(this.idempotencyKeys).containsExactly("order-1", "order-1");
	}

	@Test
	void answersCutShortTwiceFailWithTheStatusThatCameAndAreNotAskedForAThirdTime() {
		startServer(2);
		assertThatExceptionOfType(WebClientResponseException.class)
			.isThrownBy(() -> client().pay("order-2", BigDecimal.ONE).block(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(201));
		assertThat(this.idempotencyKeys).containsExactly("order-2", "order-2");
	}

	private PaymentClient client() {
		return new PaymentClient(WebClient.builder(), "http://127.0.0.1:" + this.server.port());
	}

	/** Answers the first {@code cut} requests with half a body then closes; the others in full. */
	private void startServer(int cut) {
		AtomicInteger requests = new AtomicInteger();
		this.server = TcpServer.create().host("127.0.0.1").port(0).handle((in, out) -> in.receive()
			.asString(StandardCharsets.ISO_8859_1)
			.scan("", String::concat)
			.filter((request) -> request.contains("\r\n\r\n") && request.endsWith("}"))
			.next()
			.flatMap((request) -> {
				this.idempotencyKeys.add(header(request, "Idempotency-Key"));
				boolean cutShort = requests.incrementAndGet() <= cut;
				String body = cutShort ? PAYMENT.substring(0, 20) : PAYMENT;
				String answer = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: "
						+ PAYMENT.length() + "\r\nConnection: close\r\n\r\n" + body;
				return out.sendString(Mono.just(answer)).then();
			})).bindNow();
	}

	private static String header(String request, String name) {
		for (String line : request.split("\r\n")) {
			if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
				return line.substring(name.length() + 1).strip();
			}
		}
		return null;
	}

}
