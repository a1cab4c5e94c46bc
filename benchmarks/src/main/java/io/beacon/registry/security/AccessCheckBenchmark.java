package io.beacon.registry.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * What the registry's access check costs one heartbeat: {@link ApiGuard#admit} for a write with a
 * valid bearer token (hash the token, compare with every configured hash, check role and service),
 * next to the server CPU a whole heartbeat takes (BENCHMARKS.md, target 1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class AccessCheckBenchmark {

	/** How many tokens the registry is configured with. */
	@Param({ "1", "20" })
	int tokens;

	private ApiGuard guard;

	private GuardedRequest request;

	@Setup
	public void setUp() {
		List<TokenSpec> specs = new ArrayList<>();
		for (int i = 0; i < this.tokens; i++) {
			specs.add(new TokenSpec("service-" + i, TokenStore.sha256Hex(token(i)), Set.of(Role.READ, Role.REGISTER),
					List.of("service-" + i)));
		}
		this.guard = ApiGuard.of(new TokenStore(specs, new Refusals(new SimpleMeterRegistry())), Clock.systemUTC(),
				20, Duration.ofMinutes(1));
		List<String> header = List.of("Bearer " + token(this.tokens - 1));
		String service = "service-" + (this.tokens - 1);
		this.request = new GuardedRequest() {

			@Override
			public List<String> authorizations() {
				return header;
			}

			@Override
			public String rawQuery() {
				return null;
			}

			@Override
			public String remoteAddress() {
				return "127.0.0.1";
			}

			@Override
			public String service() {
				return service;
			}

		};
	}

	private static String token(int i) {
		// 43 characters, as the token command makes them
		return String.format("%043d", i).replace('0', 'k');
	}

	@Benchmark
	public Caller admitAHeartbeat() {
		return this.guard.admit(Operation.WRITE, this.request);
	}

}
