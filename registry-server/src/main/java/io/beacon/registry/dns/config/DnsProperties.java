package io.beacon.registry.dns.config;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.xbill.DNS.Address;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the registry's DNS interface, under {@code beacon.registry.dns}.
 */
@ConfigurationProperties("beacon.registry.dns")
@Validated
public class DnsProperties {

	/**
	 * Whether the registry answers DNS queries (UDP and TCP) for its services.
	 */
	private boolean enabled;

	/**
	 * Port of the DNS interface, the same for UDP and TCP (0 for a free one).
	 */
	@Min(0)
	@Max(65535)
	private int port = 8600;

	/**
	 * IP address the DNS interface listens on (an IPv4 or IPv6 literal, not a name).
	 */
	@NotNull
	private String bind = "127.0.0.1";

	/**
	 * Domain the registry answers for: services are <service>.service.<domain>.
	 */
	@NotNull
	@Pattern(regexp = "(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.?",
			message = "must be a DNS name such as 'beacon' or 'beacon.internal': dot-separated labels of 1-63 letters, digits and '-'")
	private String domain = "beacon";

	/**
	 * TTL of every answer, in whole seconds (0 to 1 h). The default 0 s keeps resolvers from caching
	 * answers, so a registry change is seen by the next lookup.
	 */
	@NotNull
	@DurationMin(seconds = 0)
	@DurationMax(hours = 1)
	private Duration ttl = Duration.ZERO;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public String getBind() {
		return this.bind;
	}

	public void setBind(String bind) {
		this.bind = bind;
	}

	public String getDomain() {
		return this.domain;
	}

	public void setDomain(String domain) {
		this.domain = domain;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	/** A bind address is taken literally: no name lookup at startup. */
	@AssertTrue(message = "beacon.registry.dns.bind must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1")
	public boolean isBindAnIpAddress() {
		return this.bind == null || Address.isDottedQuad(this.bind)
				|| Address.toByteArray(this.bind, Address.IPv6) != null;
	}

	/** DNS TTLs are whole seconds. */
	@AssertTrue(message = "beacon.registry.dns.ttl must be a whole number of seconds")
	public boolean isTtlWholeSeconds() {
		return this.ttl == null || this.ttl.toNanosPart() == 0;
	}

	/** Room must remain under DNS's 255-byte name limit for the longest names beneath the domain. */
	@AssertTrue(message = "beacon.registry.dns.domain must be at most 200 characters long")
	public boolean isDomainShortEnough() {
		return this.domain == null || this.domain.length() <= 200;
	}

}
