package io.beacon.client.actuate;

import java.util.List;
import java.util.Map;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BeaconClientMetricsTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final BeaconClientMetrics metrics = new BeaconClientMetrics(this.meters, () -> null);

	@Test
	void metersOfInstancesThatLeftAreRemovedAndComeBackWithThem() {
		ServiceInstance stays = instance("svc", "stays");
		ServiceInstance leaves = instance("svc", "leaves");
		ServiceInstance elsewhere = instance("other", "x");
		this.metrics.attempt(stays, "SUCCESS", 1_000);
		this.metrics.attempt(leaves, "CONNECT_FAILURE", 1_000);
		this.metrics.ejected(leaves);
		this.metrics.attempt(elsewhere, "SUCCESS", 1_000);

		this.metrics.retainOnly("svc", List.of(stays));

		assertThat(instancesTagged("beacon.client.requests")).containsExactlyInAnyOrder("stays", "x");
		assertThat(instancesTagged("beacon.client.ejections")).isEmpty();

		this.metrics.attempt(leaves, "SUCCESS", 1_000);
		assertThat(instancesTagged("beacon.client.requests")).containsExactlyInAnyOrder("stays", "leaves", "x");
	}

	private List<String> instancesTagged(String name) {
		return this.meters.find(name).meters().stream().map(Meter::getId).map((id) -> id.getTag("instance")).toList();
	}

	private static ServiceInstance instance(String service, String id) {
		return new ServiceInstance(id, service, "127.0.0.1", 8080, false, InstanceStatus.UP, null, Map.of());
	}

}
