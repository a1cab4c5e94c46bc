package io.beacon.registry.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.TextParseException;

/**
 * The names the registry answers for, under one domain ({@code beacon} by default):
 * <ul>
 * <li>{@code <service>.service.<domain>} and {@code _<service>._tcp.service.<domain>}: a service;</li>
 * <li>{@code <zone>.<service>.service.<domain>}: its instances in one zone (a zone may have dots);</li>
 * <li>{@code <hex>.addr.<domain>}: one IP address, written as 8 (IPv4) or 32 (IPv6) hex digits, the
 * target of SRV records.</li>
 * </ul>
 * Names compare case-insensitively, as DNS names do.
 */
public final class DnsDomain {

	private static final String SERVICE = "service";

	private static final String ADDR = "addr";

	private static final HexFormat HEX = HexFormat.of();

	/** Longest domain (wire bytes) that still leaves room for {@code <32 hex digits>.addr.} under 255. */
	static final int MAX_DOMAIN_LENGTH = 255 - 38;

	private final Name origin;

	private final Name addrOrigin;

	/**
	 * @param domain the domain, such as {@code beacon} or {@code beacon.internal} (with or without the
	 * final dot)
	 * @throws IllegalArgumentException when it is not a DNS name
	 */
	public DnsDomain(String domain) {
		try {
			this.origin = Name.fromString(domain.toLowerCase(Locale.ROOT), Name.root);
			this.addrOrigin = Name.concatenate(Name.fromConstantString(ADDR), this.origin);
		}
		catch (TextParseException | NameTooLongException ex) {
			throw new IllegalArgumentException("Not a DNS domain: '" + domain + "'", ex);
		}
		if (this.origin.length() > MAX_DOMAIN_LENGTH || this.origin.labels() < 2) {
			throw new IllegalArgumentException("Not a usable DNS domain: '" + domain + "' (too long, or the root)");
		}
	}

	/** The domain as an absolute name. */
	public Name origin() {
		return this.origin;
	}

	/**
	 * What a query name stands for.
	 * @return the target, or {@code null} when the name is outside the domain
	 */
	QueryTarget parse(Name name) {
		if (!name.subdomain(this.origin)) {
			return null;
		}
		int extra = name.labels() - this.origin.labels();
		if (extra == 0) {
			return new QueryTarget.Structural(true);
		}
		String[] labels = new String[extra];
		for (int i = 0; i < extra; i++) {
			labels[i] = name.getLabelString(i).toLowerCase(Locale.ROOT);
		}
		String kind = labels[extra - 1];
		if (extra == 1 && (kind.equals(SERVICE) || kind.equals(ADDR))) {
			return new QueryTarget.Structural(false);
		}
		if (kind.equals(SERVICE)) {
			return service(labels);
		}
		if (kind.equals(ADDR) && extra == 2) {
			InetAddress address = decode(labels[0]);
			return (address != null) ? new QueryTarget.Address(address) : new QueryTarget.Unknown();
		}
		return new QueryTarget.Unknown();
	}

	private static QueryTarget service(String[] labels) {
		int extra = labels.length;
		if (extra == 3 && labels[1].equals("_tcp") && labels[0].length() > 1 && labels[0].charAt(0) == '_') {
			return new QueryTarget.Service(labels[0].substring(1), null);
		}
		if (extra == 2) {
			return new QueryTarget.Service(labels[0], null);
		}
		return new QueryTarget.Service(labels[extra - 2], String.join(".", Arrays.copyOf(labels, extra - 2)));
	}

	/** The name whose A or AAAA record is this address: the SRV target of instances registered by IP. */
	Name addressName(InetAddress address) {
		try {
			return Name.concatenate(Name.fromConstantString(HEX.formatHex(address.getAddress())), this.addrOrigin);
		}
		catch (NameTooLongException ex) {
			// Cannot happen: the constructor refuses domains too long to leave room for these names.
			throw new IllegalStateException(ex);
		}
	}

	private static InetAddress decode(String label) {
		if ((label.length() != 8 && label.length() != 32) || !isHex(label)) {
			return null;
		}
		try {
			return InetAddress.getByAddress(HEX.parseHex(label));
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static boolean isHex(String label) {
		for (int i = 0; i < label.length(); i++) {
			if (!HexFormat.isHexDigit(label.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
