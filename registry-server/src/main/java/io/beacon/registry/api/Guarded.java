package io.beacon.registry.api;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;

import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import io.beacon.registry.security.ApiGuard;
import io.beacon.registry.security.GuardedRequest;
import io.beacon.registry.security.Operation;
import io.netty.handler.codec.http.HttpHeaderNames;

/**
 * Puts an endpoint behind the {@link ApiGuard}: one check per request, after routing and before
 * the endpoint reads anything; the admitted caller goes with the request (it owns what it registers).
 */
final class Guarded {

	private final ApiGuard guard;

	private final Operation operation;

	Guarded(ApiGuard guard, Operation operation) {
		this.guard = guard;
		this.operation = operation;
	}

	Function<ApiRequest, ApiReply> handler(Function<ApiRequest, ApiReply> endpoint) {
		if (!this.guard.enabled()) {
			return endpoint;
		}
		return (request) -> {
			request.caller(this.guard.admit(this.operation, new Request(request)));
			return endpoint.apply(request);
		};
	}

	/**
	 * What the guard reads of an API request.
	 */
	private record Request(ApiRequest request) implements GuardedRequest {

		@Override
		public List<String> authorizations() {
			return this.request.headers().getAll(HttpHeaderNames.AUTHORIZATION);
		}

		@Override
		public String rawQuery() {
			String uri = this.request.netty().uri();
			int start = uri.indexOf('?');
			return (start >= 0) ? uri.substring(start + 1) : null;
		}

		@Override
		public String remoteAddress() {
			InetSocketAddress remote = this.request.netty().remoteAddress();
			if (remote == null) {
				return "unknown";
			}
			return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
		}

		@Override
		public String service() {
			return PathVariables.service(this.request);
		}

	}

}
