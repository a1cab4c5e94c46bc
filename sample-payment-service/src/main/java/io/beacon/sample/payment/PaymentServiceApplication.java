package io.beacon.sample.payment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample payment service: takes payments for orders. Beacon registers it, heartbeats it and
 * drains it on shutdown; its application.yml is all the Beacon configuration it has.
 */
@SpringBootApplication
public class PaymentServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PaymentServiceApplication.class, args);
	}

}
