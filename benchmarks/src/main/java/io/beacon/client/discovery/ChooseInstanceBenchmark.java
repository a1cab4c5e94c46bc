package io.beacon.client.discovery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import io.beacon.client.loadbalancer.Ejections;
import io.beacon.client.loadbalancer.LeastOutstandingStrategy;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.loadbalancer.LoadBalancerStrategy;
import io.beacon.client.loadbalancer.RandomStrategy;
import io.beacon.client.loadbalancer.RoundRobinStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a load-balanced request pays to pick its instance: the lookup of the service's UP instances in
 * the cached view (the same call the WebClient filter makes) and the strategy's choice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ChooseInstanceBenchmark {

	@Param({ "round-robin", "random", "least-outstanding" })
	String strategy;

	@Param({ "3", "50" })
	int instances;

	private ServiceCache cache;

	private LoadBalancer loadBalancer;

	@Setup
	public void setUp() {
		this.cache = new ServiceCache(Clock.systemUTC(), Duration.ofSeconds(15));
		List<ServiceInstance> up = new ArrayList<>();
		for (int i = 0; i < this.instances; i++) {
			up.add(new ServiceInstance("10.0.0." + i + ":8080", "payment-service", "10.0.0." + i, 8080, false,
					InstanceStatus.UP, null, Map.of("version", "1.0")));
		}
		// other services in the cache too, as in a real application
		for (int s = 0; s < 20; s++) {
			this.cache.load("service-" + s, 1, up);
		}
		this.cache.load("payment-service", 1, up);
		LoadBalancerStrategy chosen = switch (this.strategy) {
			case "random" -> new RandomStrategy();
			case "least-outstanding" -> new LeastOutstandingStrategy();
			default -> new RoundRobinStrategy();
		};
		this.loadBalancer = new LoadBalancer(chosen, Map.of(), new Ejections(System::nanoTime), Duration.ofSeconds(10));
	}

	@Benchmark
	public ServiceInstance chooseFromCachedView() {
		return this.loadBalancer.choose("payment-service", this.cache.up("payment-service"), Set.of());
	}

}
