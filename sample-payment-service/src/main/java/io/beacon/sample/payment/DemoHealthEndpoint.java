package io.beacon.sample.payment;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * For demos: a health indicator ({@code demo}, in the readiness group) an operator sets at runtime,
 * {@code POST /actuator/demohealth {"status":"DOWN"}} and back with {@code "UP"}. The Beacon client
 * then reports this instance DOWN (and UP again) to the registry after its health threshold.
 */
@Component("demoHealthIndicator") // the health contributor "demo"
@Endpoint(id = "demohealth")
public class DemoHealthEndpoint implements HealthIndicator {

	private final AtomicBoolean up = new AtomicBoolean(true);

	@Override
	public Health health() {
		return this.up.get() ? Health.up().build() : Health.down().withDetail("set", "by POST /actuator/demohealth").build();
	}

	@ReadOperation
	public Map<String, String> read() {
		return Map.of("status", this.up.get() ? "UP" : "DOWN");
	}

	@WriteOperation
	public Map<String, String> write(String status) {
		if (!"UP".equals(status) && !"DOWN".equals(status)) {
			throw new InvalidEndpointRequestException("status must be UP or DOWN (got '" + status + "')",
					"status must be UP or DOWN");
		}
		this.up.set("UP".equals(status));
		return read();
	}

}
