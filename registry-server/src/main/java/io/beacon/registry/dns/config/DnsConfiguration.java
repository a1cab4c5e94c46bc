package io.beacon.registry.dns.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Random;

import io.beacon.registry.core.Registry;
import io.beacon.registry.dns.DnsDomain;
import io.beacon.registry.dns.DnsResponder;
import io.beacon.registry.dns.server.DnsServer;
import org.xbill.DNS.Address;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DNS interface, when {@code beacon.registry.dns.enabled} is true: answers from the registry,
 * served over UDP and TCP.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("beacon.registry.dns.enabled")
public final class DnsConfiguration {

	/** RFC 7766 asks servers to close idle connections after seconds, not minutes. */
	private static final Duration TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);

	@Bean
	@ConditionalOnMissingBean
	DnsResponder dnsResponder(Registry registry, DnsProperties properties) {
		return new DnsResponder(registry, new DnsDomain(properties.getDomain()), properties.getTtl(), new Random());
	}

	@Bean
	@ConditionalOnMissingBean
	DnsServerLifecycle dnsServer(DnsResponder responder, DnsProperties properties) throws UnknownHostException {
		// Validated as an IP literal (DnsProperties), so this parses it without a lookup.
		InetAddress bind = Address.getByAddress(properties.getBind());
		DnsServer server = new DnsServer(responder, bind, properties.getPort(), TCP_IDLE_TIMEOUT);
		return new DnsServerLifecycle(server, properties.getDomain());
	}

}
