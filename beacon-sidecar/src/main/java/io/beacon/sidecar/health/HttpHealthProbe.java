package io.beacon.sidecar.health;

import java.net.URI;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Healthy when a GET of the health URL answers 2xx. A new connection per probe, so a probe sees
 * what a new caller would see (an app that stops accepting is unhealthy even if an old connection
 * still works).
 */
public final class HttpHealthProbe implements HealthProbe {

	private final URI url;

	private final HttpClient client;

	public HttpHealthProbe(URI url, Duration connectTimeout) {
		this.url = url;
		this.client = HttpClient.create(ConnectionProvider.newConnection())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
			.followRedirect(false);
	}

	@Override
	public Mono<Boolean> check() {
		return this.client.get()
			.uri(this.url)
			.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
			.map((status) -> status >= 200 && status < 300);
	}

	@Override
	public String describe() {
		return "GET " + this.url;
	}

}
