package io.beacon.client.loadbalancer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancerTests {

	private final LoadBalancer loadBalancer = new LoadBalancer(new RoundRobinStrategy(), Map.of(),
			new Ejections(System::nanoTime), Duration.ofSeconds(10));

	@Test
	void countsOfInstancesThatLeftAreForgottenAndOthersKept() {
		ServiceInstance stays = instance("svc", "stays");
		ServiceInstance leaves = instance("svc", "leaves");
		ServiceInstance elsewhere = instance("other", "x");
		this.loadBalancer.started(stays).finished(false);
		this.loadBalancer.started(leaves).finished(true);
		this.loadBalancer.eject(leaves);
		this.loadBalancer.started(elsewhere);

		this.loadBalancer.retainOnly("svc", List.of(stays));

		assertThat(this.loadBalancer.stats()).containsOnlyKeys("svc/stays", "other/x");
		assertThat(this.loadBalancer.ejections().isEjected(leaves)).isFalse();
		assertThat(this.loadBalancer.inFlight().count(elsewhere)).isEqualTo(1);
	}

	@Test
	void anAttemptEndsOnce() {
		ServiceInstance instance = instance("svc", "a");
		LoadBalancer.Attempt attempt = this.loadBalancer.started(instance);
		attempt.finished(true);
		attempt.abandoned();
		attempt.finished(true);
		assertThat(this.loadBalancer.inFlight().count(instance)).isZero();
		assertThat(this.loadBalancer.stats().get("svc/a").failures()).isEqualTo(1);
	}

	private static ServiceInstance instance(String service, String id) {
		return new ServiceInstance(id, service, "127.0.0.1", 8080, false, InstanceStatus.UP, null, Map.of());
	}

}
