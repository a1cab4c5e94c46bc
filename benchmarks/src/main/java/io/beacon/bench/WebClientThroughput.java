package io.beacon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.beacon.client.InstanceStatus;
import io.beacon.client.ServiceInstance;
import io.beacon.client.actuate.BeaconClientMetrics;
import io.beacon.client.loadbalancer.Ejections;
import io.beacon.client.loadbalancer.LoadBalancer;
import io.beacon.client.loadbalancer.RoundRobinStrategy;
import io.beacon.client.web.LoadBalancerExchangeFilterFunction;
import io.beacon.client.web.LoadBalancerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Throughput of the load-balanced WebClient against a plain WebClient calling the same backend by
 * address, measured side by side in one JVM: warm-up, then rounds that alternate plain and
 * load-balanced, each with the same number of requests in flight. Prints every round, the medians
 * and their ratio. Loopback only, bounded in time.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.beacon.bench.WebClientThroughput [rounds] [seconds] [inFlight] [no-metrics]
 * </pre>
 */
public final class WebClientThroughput {

	private WebClientThroughput() {
	}

	public static void main(String[] args) {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 5;
		int inFlight = (args.length > 2) ? Integer.parseInt(args[2]) : 32;
		boolean withMetrics = !(args.length > 3 && args[3].equals("no-metrics"));
		DisposableServer backend = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/pay", (request, response) -> response.sendString(Mono.just("paid"))))
			.bindNow();
		try {
			String address = "http://127.0.0.1:" + backend.port();
			ServiceInstance instance = new ServiceInstance("backend-1", "backend", "127.0.0.1", backend.port(), false,
					InstanceStatus.UP, null, Map.of());
			List<ServiceInstance> view = List.of(instance);
			LoadBalancer loadBalancer = new LoadBalancer(new RoundRobinStrategy(), Map.of(),
					new Ejections(System::nanoTime), Duration.ofSeconds(10));
			WebClient plain = WebClient.builder().baseUrl(address).build();
			WebClient balanced = WebClient.builder()
				.baseUrl("http://backend")
				.filter(new LoadBalancerExchangeFilterFunction((service) -> view, (service) -> Mono.just(view),
						loadBalancer, 1, withMetrics ? new BeaconClientMetrics(new SimpleMeterRegistry(), () -> null)
								: LoadBalancerMetrics.NONE))
				.build();
			System.out.printf("backend %s, %d rounds of %d s each per client, %d requests in flight, metrics %s%n",
					address, rounds, seconds, inFlight, withMetrics ? "on (as with actuator)" : "off");
			run(plain, 5, inFlight);
			run(balanced, 5, inFlight);
			List<Double> plainRates = new ArrayList<>();
			List<Double> balancedRates = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			for (int round = 1; round <= rounds; round++) {
				double p = run(plain, seconds, inFlight);
				double b = run(balanced, seconds, inFlight);
				plainRates.add(p);
				balancedRates.add(b);
				ratios.add(b / p);
				System.out.printf("round %2d: plain %8.0f req/s   load-balanced %8.0f req/s   ratio %.3f%n", round, p,
						b, b / p);
			}
			double plainMedian = median(plainRates);
			double balancedMedian = median(balancedRates);
			System.out.printf("median: plain %.0f req/s, load-balanced %.0f req/s, ratio of medians %.3f, "
					+ "median of per-round ratios %.3f%n", plainMedian, balancedMedian, balancedMedian / plainMedian,
					median(ratios));
		}
		finally {
			backend.disposeNow();
		}
	}

	/** Requests per second over {@code seconds}, keeping {@code inFlight} requests going. */
	private static double run(WebClient client, int seconds, int inFlight) {
		AtomicLong done = new AtomicLong();
		long start = System.nanoTime();
		Flux.range(0, Integer.MAX_VALUE)
			// a request cut off when a round ends may leave a closed connection in the pool: count only successes
			.flatMap((i) -> client.get().uri("/pay").retrieve().bodyToMono(String.class).onErrorResume((ex) -> Mono.empty()),
					inFlight)
			.doOnNext((body) -> done.incrementAndGet())
			.take(Duration.ofSeconds(seconds))
			.blockLast(Duration.ofSeconds(seconds + 30L));
		return done.get() / ((System.nanoTime() - start) / 1e9);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

}
