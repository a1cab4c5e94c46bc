package io.beacon.sidecar.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The headers a proxied request and its response carry on: all of them except the hop-by-hop ones
 * (RFC 9110 7.6.1: Connection and the headers it names, Keep-Alive, Proxy-*, TE, Trailer,
 * Transfer-Encoding, Upgrade), the Host, which names the instance chosen, and a request's Expect,
 * which the proxy answers itself. Requests get
 * {@code X-Forwarded-For} (the caller's address appended), {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host} (the Host the caller sent) and, when a path prefix named the service,
 * {@code X-Forwarded-Prefix}.
 */
final class ForwardedHeaders {

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
			"proxy-authorization", "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

	private ForwardedHeaders() {
	}

	static org.springframework.http.HttpHeaders request(HttpHeaders inbound, SocketAddress caller, ProxyRoute route) {
		// Expect: 100-continue was the proxy's to answer (it did, on reading the body)
		org.springframework.http.HttpHeaders outbound = endToEnd(inbound, Set.of("host", "expect"));
		String callerAddress = (caller instanceof InetSocketAddress socket && socket.getAddress() != null)
				? socket.getAddress().getHostAddress() : null;
		if (callerAddress != null) {
			String earlier = inbound.get("X-Forwarded-For");
			outbound.set("X-Forwarded-For", (earlier != null) ? earlier + ", " + callerAddress : callerAddress);
		}
		if (!inbound.contains("X-Forwarded-Proto")) {
			outbound.set("X-Forwarded-Proto", "http");
		}
		String host = inbound.get("Host");
		if (!inbound.contains("X-Forwarded-Host") && host != null) {
			outbound.set("X-Forwarded-Host", host);
		}
		if (!route.prefix().isEmpty()) {
			String earlier = inbound.get("X-Forwarded-Prefix");
			outbound.set("X-Forwarded-Prefix", (earlier != null) ? earlier + route.prefix() : route.prefix());
		}
		return outbound;
	}

	static void response(org.springframework.http.HttpHeaders upstream, HttpHeaders outbound) {
		Set<String> named = connectionNamed(upstream.getFirst("Connection"));
		for (Map.Entry<String, java.util.List<String>> header : upstream.headerSet()) {
			String name = header.getKey().toLowerCase(Locale.ROOT);
			if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
				outbound.add(header.getKey(), header.getValue());
			}
		}
	}

	private static org.springframework.http.HttpHeaders endToEnd(HttpHeaders inbound, Set<String> dropped) {
		Set<String> named = connectionNamed(inbound.get("Connection"));
		org.springframework.http.HttpHeaders outbound = new org.springframework.http.HttpHeaders();
		for (Map.Entry<String, String> header : inbound) {
			String name = header.getKey().toLowerCase(Locale.ROOT);
			if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !dropped.contains(name)) {
				outbound.add(header.getKey(), header.getValue());
			}
		}
		return outbound;
	}

	private static Set<String> connectionNamed(String connection) {
		Set<String> named = new HashSet<>();
		if (connection != null) {
			for (String token : connection.split(",")) {
				named.add(token.trim().toLowerCase(Locale.ROOT));
			}
		}
		return named;
	}

}
