package io.beacon.bench.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.beacon.bench.cli.Args;
import io.beacon.registry.core.InstanceNotFoundException;
import io.beacon.registry.core.InstanceRegistration;
import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The registry's heartbeat path as a Spring WebFlux functional endpoint, for the comparison with the
 * raw Reactor Netty API (BENCHMARKS.md, "Raw Reactor Netty vs WebFlux"). A throwaway server, not part
 * of the registry: the registry's own core ({@link Registry}, leases swept every 250 ms as the
 * registry does), WebFlux's router and codecs on Reactor Netty with its default event loops, and only
 * what the benchmark calls: register, heartbeat, and a readiness answer on {@code /actuator/health}.
 * It does less than the registry per request (no metrics, no checks of the path's names, a plain 404),
 * so it flatters WebFlux, if anything.
 */
public final class WebFluxHeartbeatServer {

	private static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(15);

	private final Registry registry = new Registry(Clock.systemUTC(), Ticker.system(), 8192);

	private WebFluxHeartbeatServer() {
	}

	public static void main(String[] arguments) {
		Args args = Args.parse(arguments,
				"java -cp bench-tools.jar io.beacon.bench.server.WebFluxHeartbeatServer --port N", Set.of("port"));
		WebFluxHeartbeatServer endpoints = new WebFluxHeartbeatServer();
		ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor();
		sweeper.scheduleWithFixedDelay(endpoints.registry::expireLeases, 250, 250, TimeUnit.MILLISECONDS);
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(
				RouterFunctions.toHttpHandler(endpoints.routes(), HandlerStrategies.withDefaults()));
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(args.integer("port", 18791, 1024, 65535))
			.handle(adapter)
			.bindNow(Duration.ofSeconds(30));
		System.out.println("WebFlux heartbeat server on " + server.address());
		server.onDispose().block();
		sweeper.shutdownNow();
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.PUT("/v1/services/{service}/instances/{id}/heartbeat", this::heartbeat)
			.POST("/v1/services/{service}/instances", this::register)
			.GET("/actuator/health", (request) -> ServerResponse.ok().bodyValue(Map.of("status", "UP")))
			.onError(InvalidInputException.class, (error, request) -> problem(HttpStatus.BAD_REQUEST, error))
			.build();
	}

	private Mono<ServerResponse> heartbeat(ServerRequest request) {
		try {
			this.registry.heartbeat(request.pathVariable("service"), request.pathVariable("id"));
			return ServerResponse.noContent().build();
		}
		catch (InstanceNotFoundException ex) {
			return problem(HttpStatus.NOT_FOUND, ex);
		}
	}

	private Mono<ServerResponse> register(ServerRequest request) {
		return request.bodyToMono(RegistrationBody.class).flatMap((body) -> {
			InstanceRegistration registration = InstanceRegistration.builder()
				.service(request.pathVariable("service"))
				.instanceId(body.instanceId())
				.host(body.host())
				.port(body.port())
				.leaseTtl((body.leaseTtlSeconds() != null) ? Duration.ofSeconds(body.leaseTtlSeconds()) : DEFAULT_LEASE_TTL)
				.build();
			boolean created = this.registry.register(registration).created();
			return ServerResponse.status(created ? HttpStatus.CREATED : HttpStatus.OK)
				.bodyValue(Map.of("instanceId", registration.instanceId()));
		});
	}

	private static Mono<ServerResponse> problem(HttpStatus status, Throwable error) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(Map.of("status", status.value(), "detail", String.valueOf(error.getMessage())));
	}

	/** The fields of a registration the benchmark sends. */
	record RegistrationBody(String instanceId, String host, Integer port, Integer leaseTtlSeconds) {
	}

}
