package io.beacon.registry.dns;

import java.net.InetAddress;

/**
 * What a query name under the DNS domain stands for.
 */
sealed interface QueryTarget {

	/** A name that exists only as the parent of others: the domain itself, {@code service.} and {@code addr.}. */
	record Structural(boolean apex) implements QueryTarget {
	}

	/**
	 * The instances of a service, optionally only those in one zone.
	 * @param service the lower-case service name
	 * @param zone the zone to keep, or {@code null} for every zone
	 */
	record Service(String service, String zone) implements QueryTarget {
	}

	/** The name of one address ({@code <hex>.addr.<domain>}), the target of SRV records. */
	record Address(InetAddress address) implements QueryTarget {
	}

	/** A name under the domain that does not exist. */
	record Unknown() implements QueryTarget {
	}

}
