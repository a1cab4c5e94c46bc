package io.beacon.bench.server;

import java.util.Set;

import io.beacon.bench.cli.Args;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The ceiling of the heartbeat benchmark: a Reactor Netty server (default event loops, as the
 * registry's) on 127.0.0.1 that reads each request and answers 204 with no body, whatever the
 * request. What a heartbeat costs on top of it is the registry's own work.
 */
public final class BareNettyServer {

	private BareNettyServer() {
	}

	public static void main(String[] arguments) {
		Args args = Args.parse(arguments, "java -cp bench-tools.jar io.beacon.bench.server.BareNettyServer --port N",
				Set.of("port"));
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(args.integer("port", 18790, 1024, 65535))
			.handle((request, response) -> request.receive().then(response.status(HttpResponseStatus.NO_CONTENT).send()))
			.bindNow();
		System.out.println("bare Reactor Netty server answering 204 on " + server.address());
		server.onDispose().block();
	}

}
