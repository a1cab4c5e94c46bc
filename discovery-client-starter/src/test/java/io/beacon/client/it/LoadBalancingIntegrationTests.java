package io.beacon.client.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.beacon.client.ServiceInstance;
import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.web.NoInstanceAvailableException;
import io.beacon.registry.core.InstanceRegistration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class LoadBalancingIntegrationTests {

	RegistryServer registry = RegistryServer.start();

	List<ConfigurableApplicationContext> backends = new ArrayList<>();

	ConfigurableApplicationContext consumer;

	@AfterEach
	void stopAll() {
		if (this.consumer != null) {
			this.consumer.close();
		}
		this.backends.forEach(ConfigurableApplicationContext::close);
		this.registry.close();
	}

	@Test
	void roundRobinSpreadsRequestsEvenlyOverThreeRealBackends() {
		startBackends("echo", 3);
		WebClient client = loadBalancedClient();
		Map<String, Long> servedBy = Flux.range(0, 6)
			.concatMap((i) -> client.get().uri("http://echo/whoami").retrieve().bodyToMono(String.class))
			.collectList()
			.block(Duration.ofSeconds(20))
			.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(servedBy).hasSize(3).allSatisfy((port, count) -> assertThat(count).isEqualTo(2));
		assertThat(servedBy.keySet()).containsExactlyInAnyOrderElementsOf(
				this.backends.stream().map((app) -> Integer.toString(BackendApp.port(app))).toList());
	}

	@Test
	void plainBuilderStaysPlain() {
		startBackends("echo", 1);
		WebClient plain = this.consumer.getBean(ConsumerApp.Clients.class).plain();
		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> plain.get().uri("http://echo/whoami").retrieve().bodyToMono(String.class).block(
					Duration.ofSeconds(10)));
	}

	@Test
	void requestsAreRetriedAroundAnInstanceThatRefusesConnectionsWhichIsThenEjected() throws IOException {
		startBackends("flaky", 1);
		int deadPort = freePort();
		this.registry.registry()
			.register(InstanceRegistration.builder()
					.service("flaky")
					.instanceId("dead")
					.host("127.0.0.1")
					.port(deadPort)
					.secure(false)
					.metadata(Map.of())
					.leaseTtl(Duration.ofSeconds(30))
					.build());
		BeaconDiscoveryClient discovery = this.consumer.getBean(BeaconDiscoveryClient.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("flaky").size() == 2);
		WebClient client = this.consumer.getBean(ConsumerApp.Clients.class).loadBalanced();
		AtomicInteger ok = new AtomicInteger();
		for (int i = 0; i < 10; i++) {
			// POST: not idempotent, and still retried, because the connection was refused before sending
			String port = client.post().uri("http://flaky/whoami").retrieve().bodyToMono(String.class)
				.onErrorReturn("failed")
				.block(Duration.ofSeconds(10));
			if (!"failed".equals(port)) {
				ok.incrementAndGet();
			}
		}
		assertThat(ok.get()).isEqualTo(10);
		ServiceInstance dead = discovery.getInstances("flaky")
			.stream()
			.filter((instance) -> instance.instanceId().equals("dead"))
			.findFirst()
			.orElseThrow();
		LoadBalancer loadBalancer = this.consumer.getBean(LoadBalancer.class);
		assertThat(loadBalancer.ejections().isEjected(dead)).isTrue();
		assertThat(loadBalancer.stats().get("flaky/dead").requests()).isEqualTo(1);

		// once it leaves the registry, the load balancer forgets it
		this.registry.registry().deregister("flaky", "dead");
		await().atMost(Duration.ofSeconds(5)).until(() -> !loadBalancer.stats().containsKey("flaky/dead"));
		assertThat(loadBalancer.ejections().isEjected(dead)).isFalse();
	}

	@Test
	void noFailedRequestWhileOneOfThreeBackendsDrainsUnderSteadyLoad() throws Exception {
		startBackends("steady", 3);
		WebClient client = this.consumer.getBean(ConsumerApp.Clients.class).loadBalanced();
		ConfigurableApplicationContext leaving = this.backends.get(1);
		String leavingPort = Integer.toString(BackendApp.port(leaving));
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger servedByLeaving = new AtomicInteger();
		AtomicInteger total = new AtomicInteger();
		// 4 concurrent callers for at most 2,000 requests in all, while one backend shuts down
		var load = Flux.range(0, 2000)
			.flatMap((i) -> client.get().uri("http://steady/whoami").retrieve().bodyToMono(String.class)
				.doOnNext((port) -> {
					total.incrementAndGet();
					if (port.equals(leavingPort)) {
						servedByLeaving.incrementAndGet();
					}
				})
				.doOnError((ex) -> failed.incrementAndGet())
				.onErrorReturn("failed"), 4)
			.subscribe();
		await().atMost(Duration.ofSeconds(20)).until(() -> total.get() >= 200);
		leaving.close();
		this.backends.remove(leaving);
		int afterClose = total.get();
		await().atMost(Duration.ofSeconds(60)).until(() -> load.isDisposed() || total.get() + failed.get() >= 2000);
		assertThat(failed.get()).isZero();
		assertThat(servedByLeaving.get()).isPositive();
		assertThat(total.get()).isEqualTo(2000);
		assertThat(total.get()).isGreaterThan(afterClose);
	}

	@Test
	void serviceWithoutUpInstancesFailsWithAClearErrorNamingIt() {
		this.consumer = ConsumerApp.start(this.registry);
		WebClient client = this.consumer.getBean(ConsumerApp.Clients.class).loadBalanced();
		assertThatExceptionOfType(NoInstanceAvailableException.class)
			.isThrownBy(() -> client.get().uri("http://nobody-home/x").retrieve().bodyToMono(String.class).block(
					Duration.ofSeconds(10)))
			.withMessageContaining("'nobody-home'");
	}

	private WebClient loadBalancedClient() {
		return this.consumer.getBean(ConsumerApp.Clients.class).loadBalanced();
	}

	private void startBackends(String service, int count) {
		for (int i = 0; i < count; i++) {
			this.backends.add(BackendApp.start(this.registry, service));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.registry.registry()
				.service(service, (status) -> status == io.beacon.registry.core.InstanceStatus.UP)
				.instances()
				.size() == count);
		this.consumer = ConsumerApp.start(this.registry);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
