package io.beacon.client.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.beacon.client.ServiceInstance;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.discovery.DiscoveryEvent;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DiscoveryIntegrationTests {

	RegistryServer registry = RegistryServer.start();

	ConfigurableApplicationContext consumer;

	@AfterEach
	void stopAll() {
		if (this.consumer != null) {
			this.consumer.close();
		}
		if (this.registry != null) {
			this.registry.close();
		}
	}

	@Test
	void firstLookupFetchesLaterOnesComeFromMemoryAndPushesKeepThemCurrent() {
		register("catalog", "c1", 9001);
		this.consumer = ConsumerApp.start(this.registry);
		BeaconDiscoveryClient discovery = this.consumer.getBean(BeaconDiscoveryClient.class);
		ConsumerApp.CallCounter calls = this.consumer.getBean(ConsumerApp.CallCounter.class);
		List<DiscoveryEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		discovery.subscribe(events::add);

		assertThat(discovery.getInstances("catalog")).extracting(ServiceInstance::instanceId).containsExactly("c1");
		assertThat(discovery.getInstances("Catalog")).extracting(ServiceInstance::instanceId).containsExactly("c1");
		assertThat(calls.count("fetch")).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> calls.count("watch") == 1);

		register("catalog", "c2", 9002);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(discovery.getInstances("catalog")).extracting(ServiceInstance::instanceId)
				.containsExactly("c1", "c2"));
		this.registry.registry().updateStatus("catalog", "c1", InstanceStatus.DRAINING);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(discovery.getInstances("catalog")).extracting(ServiceInstance::instanceId)
				.containsExactly("c2"));
		this.registry.registry().deregister("catalog", "c2");
		await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("catalog").isEmpty());

		assertThat(calls.count("fetch")).as("no fetch after the first lookup").isEqualTo(1);
		assertThat(events).extracting(DiscoveryEvent::kind)
			.contains(DiscoveryEvent.Kind.REGISTERED, DiscoveryEvent.Kind.UPDATED, DiscoveryEvent.Kind.DEREGISTERED);
	}

	@Test
	void unknownServiceHasNoInstancesAndIsWatchedForWhenOneAppears() {
		this.consumer = ConsumerApp.start(this.registry);
		BeaconDiscoveryClient discovery = this.consumer.getBean(BeaconDiscoveryClient.class);
		assertThat(discovery.getInstances("later")).isEmpty();
		register("later", "l1", 9003);
		await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("later").size() == 1);
	}

	@Test
	void cachedViewIsStillServedWhileTheRegistryIsDownAndResyncsWhenItReturns() {
		register("billing", "b1", 9004);
		register("billing", "b2", 9005);
		this.consumer = ConsumerApp.start(this.registry);
		BeaconDiscoveryClient discovery = this.consumer.getBean(BeaconDiscoveryClient.class);
		assertThat(discovery.getInstances("billing")).hasSize(2);
		ConsumerApp.CallCounter calls = this.consumer.getBean(ConsumerApp.CallCounter.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> calls.count("watch") == 1);
		int port = this.registry.port();

		this.registry.close();
		this.registry = null;
		await().atMost(Duration.ofSeconds(5)).until(() -> discovery.staleSince().isPresent());
		assertThat(discovery.getInstances("billing")).extracting(ServiceInstance::instanceId)
			.containsExactly("b1", "b2");
		HealthIndicator health = this.consumer.getBean("beaconHealthIndicator", HealthIndicator.class);
		assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
		assertThat(health.health().getDetails().get("cache").toString()).contains("stale=true");

		this.registry = RegistryServer.start(port);
		register("billing", "b1", 9004);
		await().atMost(Duration.ofSeconds(10)).until(() -> discovery.staleSince().isEmpty());
		// b2 has not come back to the new registry: kept for the 2 s grace, then dropped
		assertThat(discovery.getInstances("billing")).extracting(ServiceInstance::instanceId).contains("b1");
		await().atMost(Duration.ofSeconds(6))
			.untilAsserted(() -> assertThat(discovery.getInstances("billing")).extracting(ServiceInstance::instanceId)
				.containsExactly("b1"));
	}

	@Test
	void getServicesListsTheRegistrysServices() {
		register("alpha", "a1", 9006);
		register("beta", "b1", 9007);
		this.consumer = ConsumerApp.start(this.registry);
		assertThat(this.consumer.getBean(BeaconDiscoveryClient.class).getServices()).contains("alpha", "beta");
	}

	private void register(String service, String id, int port) {
		this.registry.registry()
			.register(InstanceRegistration.builder()
					.service(service)
					.instanceId(id)
					.host("127.0.0.1")
					.port(port)
					.secure(false)
					.metadata(Map.of())
					.leaseTtl(Duration.ofSeconds(30))
					.build());
	}

}
