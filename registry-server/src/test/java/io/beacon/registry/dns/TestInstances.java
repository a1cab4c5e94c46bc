package io.beacon.registry.dns;

import java.time.Duration;

import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registry;

/**
 * Registers instances the way the API does (through the core's validation), for the DNS tests.
 */
final class TestInstances {

	private TestInstances() {
	}

	static void register(Registry registry, String service, String id, String host, int port, InstanceStatus status,
			String zone) {
		registry.register(InstanceRegistration.builder()
			.service(service)
			.instanceId(id)
			.host(host)
			.port(port)
			.status(status)
			.zone(zone)
			.leaseTtl(Duration.ofSeconds(30))
			.build());
	}

	static void register(Registry registry, String service, String id, String host, int port) {
		register(registry, service, id, host, port, InstanceStatus.UP, null);
	}

}
