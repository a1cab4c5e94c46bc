package io.beacon.registry;

import io.beacon.registry.security.TokenCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Beacon registry server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RegistryServerApplication {

	private static final String IO_WORKER_COUNT = "reactor.netty.ioWorkerCount";

	public static void main(String[] args) {
		if (args.length > 0 && "token".equals(args[0])) {
			System.exit(TokenCommand.run(args, System.out, System.err));
		}
		// One event loop per core: Reactor Netty's default of at least four makes loops on a small
		// machine preempt one another, which shows as tail latency (see BENCHMARKS.md).
		if (System.getProperty(IO_WORKER_COUNT) == null) {
			System.setProperty(IO_WORKER_COUNT, Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
		SpringApplication.run(RegistryServerApplication.class, args);
	}

}
