package io.beacon.client.it;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.beacon.client.cloud.PushedServiceInstanceListSupplier;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InstanceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Cloud's own interfaces over a real registry: the discovery clients answer from the
 * push-updated cache, view changes arrive as HeartbeatEvents, and Spring Cloud LoadBalancer stops
 * choosing a drained instance as soon as the push arrives, not after its 35 s cache.
 */
class SpringCloudIntegrationTests {

	RegistryServer registry = RegistryServer.start();

	ConfigurableApplicationContext consumer;

	final List<ConfigurableApplicationContext> backends = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopAll() {
		if (this.consumer != null) {
			this.consumer.close();
		}
		this.backends.forEach(ConfigurableApplicationContext::close);
		this.registry.close();
	}

	@Test
	void blockingAndReactiveClientsShowEveryFieldOfTheUpInstances() {
		this.registry.registry()
			.register(InstanceRegistration.builder()
				.service("ledger")
				.instanceId("l1")
				.host("10.0.0.7")
				.port(8443)
				.secure(true)
				.zone("eu-1")
				.metadata(Map.of("version", "1.2"))
				.leaseTtl(Duration.ofSeconds(30))
				.build());
		this.registry.registry()
			.register(InstanceRegistration.builder()
				.service("ledger")
				.instanceId("l2")
				.host("10.0.0.8")
				.port(8080)
				.secure(false)
				.status(InstanceStatus.STARTING)
				.metadata(Map.of())
				.leaseTtl(Duration.ofSeconds(30))
				.build());
		this.consumer = ConsumerApp.start(this.registry);
		DiscoveryClient blocking = this.consumer.getBean(DiscoveryClient.class);
		ReactiveDiscoveryClient reactive = this.consumer.getBean(ReactiveDiscoveryClient.class);

		List<ServiceInstance> instances = blocking.getInstances("ledger");
		assertThat(instances).hasSize(1);
		ServiceInstance instance = instances.get(0);
		assertThat(instance.getInstanceId()).isEqualTo("l1");
		assertThat(instance.getServiceId()).isEqualTo("ledger");
		assertThat(instance.getHost()).isEqualTo("10.0.0.7");
		assertThat(instance.getPort()).isEqualTo(8443);
		assertThat(instance.isSecure()).isTrue();
		assertThat(instance.getUri()).hasToString("https://10.0.0.7:8443");
		assertThat(instance.getMetadata()).containsEntry("version", "1.2").containsEntry("zone", "eu-1");
		assertThat(reactive.getInstances("ledger").collectList().block(Duration.ofSeconds(10)))
			.extracting(ServiceInstance::getInstanceId)
			.containsExactly("l1");
		assertThat(blocking.getServices()).contains("ledger");
		assertThat(reactive.getServices().collectList().block(Duration.ofSeconds(10))).contains("ledger");
	}

	@Test
	void aPushedChangePublishesAHeartbeatEventWithANewValue() {
		register("stock", "s1", 9001);
		this.consumer = ConsumerApp.start(this.registry);
		List<Object> heartbeats = new CopyOnWriteArrayList<>();
		this.consumer.addApplicationListener(
				(ApplicationListener<HeartbeatEvent>) (event) -> heartbeats.add(event.getValue()));
		assertThat(this.consumer.getBean(DiscoveryClient.class).getInstances("stock")).hasSize(1);
		int before = heartbeats.size();

		register("stock", "s2", 9002);
		await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.size() > before);
		this.registry.registry().deregister("stock", "s1");
		await().atMost(Duration.ofSeconds(10)).until(() -> Set.copyOf(heartbeats).size() >= before + 2);
	}

	@Test
	void aGatewayWithDiscoveryRoutesHearsOfAServiceNobodyLookedUpYet() {
		this.consumer = ConsumerApp.start(this.registry,
				"spring.cloud.gateway.server.webflux.discovery.locator.enabled=true");
		List<Object> heartbeats = new CopyOnWriteArrayList<>();
		this.consumer.addApplicationListener(
				(ApplicationListener<HeartbeatEvent>) (event) -> heartbeats.add(event.getValue()));
		register("brand-new", "n1", 9003);
		await().atMost(Duration.ofSeconds(10)).until(() -> !heartbeats.isEmpty());
		int afterNewService = heartbeats.size();
		register("brand-new", "n2", 9004);
		register("brand-new", "n3", 9005);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.registry().service("brand-new", (status) -> true).instances().size() == 3);
		register("second-new", "s1", 9006);
		await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.size() > afterNewService);
		// more instances of a known service nobody looked up are no news for the route list
		assertThat(heartbeats).hasSize(afterNewService + 1);
	}

	@Test
	void springCloudLoadBalancerFollowsThePushNotA35SecondCache() {
		ConfigurableApplicationContext first = backend();
		ConfigurableApplicationContext second = backend();
		String firstPort = Integer.toString(BackendApp.port(first));
		String secondPort = Integer.toString(BackendApp.port(second));
		this.consumer = ConsumerApp.start(this.registry);
		WebClient client = WebClient.builder()
			.filter(this.consumer.getBean(ReactorLoadBalancerExchangeFilterFunction.class))
			.build();
		Map<String, Integer> served = new ConcurrentHashMap<>();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			served.merge(call(client), 1, Integer::sum);
			return served.containsKey(firstPort) && served.containsKey(secondPort);
		});

		// a retry is offered only the instances the request has not tried, while there are any
		ServiceInstanceListSupplier supplier = this.consumer.getBean(LoadBalancerClientFactory.class)
			.getInstance("backend", ServiceInstanceListSupplier.class);
		assertThat(supplier.get(triedAlready("127.0.0.1:" + firstPort)).blockFirst(Duration.ofSeconds(10)))
			.extracting(ServiceInstance::getPort)
			.containsExactly(Integer.parseInt(secondPort));
		assertThat(supplier
			.get(triedAlready("127.0.0.1:" + firstPort, "127.0.0.1:" + secondPort))
			.blockFirst(Duration.ofSeconds(10))).hasSize(2);

		this.registry.registry().updateStatus("backend", "127.0.0.1:" + secondPort, InstanceStatus.DRAINING);
		// well inside LoadBalancer's default 35 s cache, every call goes to the instance left UP
		await().atMost(Duration.ofSeconds(10)).until(() -> firstPort.equals(call(client)));
		for (int i = 0; i < 20; i++) {
			assertThat(call(client)).isEqualTo(firstPort);
		}
	}

	private static Request<RequestDataContext> triedAlready(String... instanceIds) {
		Map<String, Object> attributes = Map.of(PushedServiceInstanceListSupplier.TRIED_INSTANCES_ATTRIBUTE,
				Set.of(instanceIds));
		RequestData data = new RequestData(HttpMethod.POST, URI.create("http://backend/whoami"), new HttpHeaders(),
				new LinkedMultiValueMap<>(), attributes);
		return new DefaultRequest<>(new RequestDataContext(data));
	}

	private static String call(WebClient client) {
		return client.get().uri("http://backend/whoami").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
	}

	private ConfigurableApplicationContext backend() {
		ConfigurableApplicationContext context = BackendApp.start(this.registry, "backend");
		this.backends.add(context);
		String id = "127.0.0.1:" + BackendApp.port(context);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.registry.registry()
				.instance("backend", id)
				.map((instance) -> instance.status() == InstanceStatus.UP)
				.orElse(false));
		return context;
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
