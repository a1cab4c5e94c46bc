package io.beacon.sample.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Cloud Gateway that registers itself with Beacon and routes {@code /<service>/**} to the
 * UP instances of each service it discovers there: everything is configuration (application.yml).
 */
@SpringBootApplication
public class GatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(GatewayApplication.class, args);
	}

}
