package io.beacon.client.loadbalancer;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StrategyTests {

	private static final List<ServiceInstance> THREE = List.of(instance("a"), instance("b"), instance("c"));

	private final LoadBalancer counting = new LoadBalancer(new RoundRobinStrategy(), Map.of(),
			new Ejections(System::nanoTime), Duration.ofSeconds(1));

	private final InFlightRequests inFlight = this.counting.inFlight();

	@Test
	void roundRobinTakesEachInTurn() {
		RoundRobinStrategy strategy = new RoundRobinStrategy();
		assertThat(List.of(pick(strategy), pick(strategy), pick(strategy), pick(strategy)))
			.containsExactly("a", "b", "c", "a");
	}

	@Test
	void roundRobinKeepsGoingAcrossIntegerOverflow() {
		RoundRobinStrategy strategy = new RoundRobinStrategy();
		strategy.position("svc", Integer.MAX_VALUE - 1);
		List<String> picks = List.of(pick(strategy), pick(strategy), pick(strategy), pick(strategy), pick(strategy));
		// MAX-1, MAX, MIN, MIN+1, MIN+2 modulo 3 (floorMod): no negative index, no exception
		assertThat(picks).containsExactly(name(Math.floorMod(Integer.MAX_VALUE - 1, 3)),
				name(Math.floorMod(Integer.MAX_VALUE, 3)), name(Math.floorMod(Integer.MIN_VALUE, 3)),
				name(Math.floorMod(Integer.MIN_VALUE + 1, 3)), name(Math.floorMod(Integer.MIN_VALUE + 2, 3)));
	}

	@Test
	void roundRobinRotatesPerService() {
		RoundRobinStrategy strategy = new RoundRobinStrategy();
		assertThat(strategy.choose("x", THREE, this.inFlight).instanceId()).isEqualTo("a");
		assertThat(strategy.choose("y", THREE, this.inFlight).instanceId()).isEqualTo("a");
		assertThat(strategy.choose("x", THREE, this.inFlight).instanceId()).isEqualTo("b");
	}

	@Test
	void randomPicksOnlyCandidatesAndAllOfThemOverTime() {
		RandomStrategy strategy = new RandomStrategy();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 300; i++) {
			seen.add(pick(strategy));
		}
		assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
	}

	@Test
	void leastOutstandingPicksTheInstanceWithFewestRequestsInFlight() {
		LeastOutstandingStrategy strategy = new LeastOutstandingStrategy();
		this.counting.started(THREE.get(0));
		this.counting.started(THREE.get(0));
		this.counting.started(THREE.get(2));
		for (int i = 0; i < 20; i++) {
			assertThat(pick(strategy)).isEqualTo("b");
		}
		this.counting.started(THREE.get(1));
		this.counting.started(THREE.get(1));
		assertThat(pick(strategy)).isEqualTo("c");
	}

	@Test
	void leastOutstandingSharesTiesBetweenIdleInstances() {
		LeastOutstandingStrategy strategy = new LeastOutstandingStrategy();
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 300; i++) {
			counts.merge(pick(strategy), 1, Integer::sum);
		}
		assertThat(counts).containsOnlyKeys("a", "b", "c");
	}

	@Test
	void loadBalancerSkipsTriedAndEjectedInstancesButFallsBackWhenAllAreEjected() {
		AtomicLong now = new AtomicLong();
		Ejections ejections = new Ejections(now::get);
		LoadBalancer loadBalancer = new LoadBalancer(new RoundRobinStrategy(), Map.of(), ejections,
				Duration.ofSeconds(10));
		loadBalancer.eject(THREE.get(0));
		Set<String> picked = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			picked.add(loadBalancer.choose("svc", THREE, Set.of()).instanceId());
		}
		assertThat(picked).containsExactlyInAnyOrder("b", "c");
		assertThat(loadBalancer.choose("svc", THREE, Set.of(THREE.get(1))).instanceId()).isEqualTo("c");
		loadBalancer.eject(THREE.get(1));
		loadBalancer.eject(THREE.get(2));
		assertThat(loadBalancer.choose("svc", THREE, Set.of())).as("all ejected: try one anyway").isNotNull();
		now.addAndGet(Duration.ofSeconds(11).toNanos());
		assertThat(ejections.isEjected(THREE.get(0))).isFalse();
		assertThat(loadBalancer.choose("svc", THREE, new HashSet<>(THREE))).isNull();
		assertThat(loadBalancer.choose("svc", List.of(), Set.of())).isNull();
	}

	private String pick(LoadBalancerStrategy strategy) {
		return strategy.choose("svc", THREE, this.inFlight).instanceId();
	}

	private static String name(int index) {
		return THREE.get(index).instanceId();
	}

	static ServiceInstance instance(String id) {
		return new ServiceInstance(id, "svc", "127.0.0.1", 8080, false, InstanceStatus.UP, null, Map.of());
	}

}
