package io.beacon.sample.order;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample order service: takes orders and pays them by calling payment-service by name, through
 * Beacon's load-balanced WebClient. It knows no payment address, only the registry's.
 */
@SpringBootApplication
public class OrderServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(OrderServiceApplication.class, args);
	}

}
