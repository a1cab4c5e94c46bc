package io.beacon.client.registry;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Applies a Boot SSL bundle to the registry's HTTP client: its trust material (a private CA, a
 * self-signed registry certificate), its key material when the registry asks for a client
 * certificate, and its protocols and ciphers. Host names are still verified.
 */
final class RegistryTls {

	private RegistryTls() {
	}

	static HttpClient apply(HttpClient http, SslBundle bundle) {
		SslContext context = context(bundle);
		return http.secure((spec) -> spec.sslContext(context));
	}

	private static SslContext context(SslBundle bundle) {
		SslManagerBundle managers = bundle.getManagers();
		SslOptions options = bundle.getOptions();
		try {
			SslContextBuilder builder = SslContextBuilder.forClient()
				.keyManager(managers.getKeyManagerFactory())
				.trustManager(managers.getTrustManagerFactory());
			if (options.getEnabledProtocols() != null) {
				builder.protocols(options.getEnabledProtocols());
			}
			if (options.getCiphers() != null) {
				builder.ciphers(java.util.List.of(options.getCiphers()));
			}
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Could not use SSL bundle for the registry: " + ex.getMessage(), ex);
		}
	}

}
