package io.beacon.sidecar.health;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * Healthy when a TCP connection to the app opens. Note that the kernel completes connections for a
 * listening socket even while the process is stopped, so only an HTTP health URL sees a hung app.
 */
public final class TcpHealthProbe implements HealthProbe {

	private final String host;

	private final int port;

	private final TcpClient client;

	public TcpHealthProbe(String host, int port, Duration connectTimeout) {
		this.host = host;
		this.port = port;
		this.client = TcpClient.newConnection()
			.host(host)
			.port(port)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
	}

	@Override
	public Mono<Boolean> check() {
		return this.client.connect().map((connection) -> {
			connection.dispose();
			return true;
		});
	}

	@Override
	public String describe() {
		return "TCP connect to " + this.host + ":" + this.port;
	}

}
