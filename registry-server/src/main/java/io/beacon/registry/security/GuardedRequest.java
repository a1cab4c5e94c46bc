package io.beacon.registry.security;

import java.util.List;

/**
 * What the {@link ApiGuard} reads from a request. Each method is called only when needed, so a
 * registry with security off reads nothing.
 */
public interface GuardedRequest {

	/** Every {@code Authorization} header of the request, in order. */
	List<String> authorizations();

	/** The query string without the '?', or {@code null} when there is none. */
	String rawQuery();

	/** The caller's IP address, used to limit bad tokens per address. */
	String remoteAddress();

	/** The normalized service the request is about (asked only for {@link Operation#WRITE}). */
	String service();

}
