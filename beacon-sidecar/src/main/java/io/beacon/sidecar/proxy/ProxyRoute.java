package io.beacon.sidecar.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where one proxied request goes: the service, and the path (with its query) to ask it for.
 * <ul>
 * <li>{@code Host: payment-service} (a bare service name, any port): the whole request path goes to
 * that service;</li>
 * <li>an absolute request target {@code GET http://payment-service/payments} (how HTTP_PROXY clients
 * ask): the same, by its host;</li>
 * <li>otherwise ({@code Host: 127.0.0.1:15001}, {@code localhost}): the first path segment names the
 * service, {@code /payment-service/payments?x=1} goes to payment-service as {@code /payments?x=1}.</li>
 * </ul>
 *
 * @param service the service name, lower case
 * @param path the raw (still encoded) path and query to send, starting with '/'
 * @param prefix the path prefix taken off ({@code /payment-service}), or empty
 */
public record ProxyRoute(String service, String path, String prefix) {

	private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	/**
	 * @param target the request target as sent (origin or absolute form)
	 * @param host the Host header, or {@code null}
	 * @throws InvalidRouteException when the request names no service, or not a valid one
	 */
	public static ProxyRoute of(String target, String host) {
		if (target.startsWith("http://") || target.startsWith("https://")) {
			URI absolute = parse(target);
			if (absolute.getHost() == null) {
				throw InvalidRouteException.badRequest("The request target '" + shorten(target) + "' names no host");
			}
			return new ProxyRoute(service(absolute.getHost(), "the request target's host"), pathAndQuery(absolute), "");
		}
		if (!target.startsWith("/")) {
			throw InvalidRouteException.badRequest("The request target must start with '/', got '" + shorten(target) + "'");
		}
		String hostName = hostName(host);
		if (hostName != null && SERVICE.matcher(hostName).matches() && !hostName.equals("localhost")) {
			return new ProxyRoute(hostName, pathAndQuery(parse(target)), "");
		}
		int end = firstOf(target, 1, '/', '?');
		String segment = target.substring(1, end);
		if (segment.isEmpty()) {
			throw InvalidRouteException.notFound("Name the service to call: http://127.0.0.1:<proxy-port>/<service>/<path>"
					+ ", or send 'Host: <service>'");
		}
		String rest = target.substring(end);
		String path = rest.startsWith("/") ? rest : "/" + rest;
		parse(path);
		return new ProxyRoute(service(segment, "the first path segment"), path, "/" + segment);
	}

	private static String service(String name, String where) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (!SERVICE.matcher(lower).matches()) {
			throw InvalidRouteException.badRequest("'" + shorten(name) + "' (" + where + ") is not a service name: a "
					+ "service name is a DNS label, 1-63 letters, digits and '-', not starting or ending with '-'");
		}
		return lower;
	}

	/** The host name of a Host header without its port, lower case; {@code null} for none or an IPv6 literal. */
	private static String hostName(String host) {
		if (host == null || host.isEmpty() || host.startsWith("[")) {
			return null;
		}
		int colon = host.indexOf(':');
		return ((colon >= 0) ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
	}

	private static String pathAndQuery(URI uri) {
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
	}

	private static int firstOf(String text, int from, char a, char b) {
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == a || c == b) {
				return i;
			}
		}
		return text.length();
	}

	private static URI parse(String target) {
		try {
			return new URI(target);
		}
		catch (URISyntaxException ex) {
			throw InvalidRouteException.badRequest("The request target is not a valid URI (" + ex.getReason() + " at "
					+ "index " + ex.getIndex() + ")");
		}
	}

	private static String shorten(String text) {
		String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
		return (printable.length() > 80) ? printable.substring(0, 80) + "..." : printable;
	}

	/**
	 * A request the proxy cannot route, answered with a problem.
	 */
	public static final class InvalidRouteException extends RuntimeException {

		private final int status;

		private InvalidRouteException(int status, String detail) {
			super(detail);
			this.status = status;
		}

		static InvalidRouteException badRequest(String detail) {
			return new InvalidRouteException(400, detail);
		}

		static InvalidRouteException notFound(String detail) {
			return new InvalidRouteException(404, detail);
		}

		public int status() {
			return this.status;
		}

	}

}
