package io.beacon.registry.dns.server;

/**
 * The DNS server could not start, such as when its port is taken.
 */
public class DnsServerException extends RuntimeException {

	public DnsServerException(String message, Throwable cause) {
		super(message, cause);
	}

}
