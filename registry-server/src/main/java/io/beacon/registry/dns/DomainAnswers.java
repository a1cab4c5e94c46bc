package io.beacon.registry.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.Registry;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Fills in the answer to one question about a name under the domain, from the registry as it is at
 * that moment (no cache: a change is visible to the very next query).
 * <ul>
 * <li>A and AAAA: the addresses of the service's UP instances registered by IPv4 or IPv6 address.
 * An instance registered by host name is answered with a CNAME to that name; the registry never
 * resolves names itself. A name may hold a CNAME only if it holds nothing else (RFC 1034 3.6.2), so
 * the CNAME (to one of those names, picked at random) is given only when no UP instance is registered
 * by IP address.</li>
 * <li>SRV: one record per UP instance with its port; the target of an instance registered by IP is
 * {@code <hex>.addr.<domain>}, whose address comes in the additional section; the target of one
 * registered by name is that name.</li>
 * <li>A service with no instance at all (in that zone) does not exist: NXDOMAIN. Other types, and
 * services with no UP instance, get an empty NOERROR answer. Negative answers carry the domain's SOA,
 * whose minimum is the TTL, so resolvers cache them no longer than positive ones.</li>
 * </ul>
 * Records come in a new random order for each query.
 */
final class DomainAnswers {

	private static final int SRV_PRIORITY = 1;

	private static final int SRV_WEIGHT = 1;

	private final Registry registry;

	private final DnsDomain domain;

	private final long ttlSeconds;

	private final Random random;

	private final SOARecord soa;

	DomainAnswers(Registry registry, DnsDomain domain, long ttlSeconds, Random random) {
		this.registry = registry;
		this.domain = domain;
		this.ttlSeconds = ttlSeconds;
		this.random = random;
		Name origin = domain.origin();
		Name ns = Name.fromConstantString("ns." + origin);
		Name hostmaster = Name.fromConstantString("hostmaster." + origin);
		// Serial 1 for ever: the zone is never transferred, only queried.
		this.soa = new SOARecord(origin, DClass.IN, ttlSeconds, ns, hostmaster, 1, 3600, 600, 86400, ttlSeconds);
	}

	/**
	 * Answers the question into {@code response}: records, rcode and the AA flag.
	 */
	void answer(Name name, int type, Message response) {
		QueryTarget target = this.domain.parse(name);
		if (target == null) {
			// Not ours, and the registry is no recursive resolver: a stub resolver then asks its next server.
			response.getHeader().setRcode(Rcode.REFUSED);
			return;
		}
		response.getHeader().setFlag(Flags.AA);
		if (target instanceof QueryTarget.Service service) {
			service(service, name, type, response);
		}
		else if (target instanceof QueryTarget.Address address) {
			address(address.address(), name, type, response);
		}
		else if (target instanceof QueryTarget.Structural structural && structural.apex() && type == Type.SOA) {
			response.addRecord(this.soa, Section.ANSWER);
		}
		else if (target instanceof QueryTarget.Structural) {
			noData(response);
		}
		else {
			nxDomain(response);
		}
	}

	private void service(QueryTarget.Service query, Name name, int type, Message response) {
		List<Instance> instances = this.registry.service(query.service(), (status) -> true).instances();
		List<Instance> up = new ArrayList<>(instances.size());
		boolean exists = false;
		for (Instance instance : instances) {
			if (query.zone() == null || query.zone().equalsIgnoreCase(instance.zone())) {
				exists = true;
				if (instance.status() == InstanceStatus.UP) {
					up.add(instance);
				}
			}
		}
		if (!exists) {
			nxDomain(response);
			return;
		}
		Collections.shuffle(up, this.random);
		if (type == Type.A || type == Type.AAAA) {
			addresses(up, name, type, response);
		}
		else if (type == Type.SRV) {
			srv(up, name, response);
		}
		if (response.getSection(Section.ANSWER).isEmpty()) {
			noData(response);
		}
	}

	private void addresses(List<Instance> up, Name name, int type, Message response) {
		boolean anyByAddress = false;
		Name alias = null;
		for (Instance instance : up) {
			InetAddress address = HostAddress.parse(instance.host());
			if (address != null) {
				anyByAddress = true;
				Record record = addressRecord(name, address, type);
				if (record != null) {
					response.addRecord(record, Section.ANSWER);
				}
			}
			else if (alias == null) {
				alias = absolute(instance.host());
			}
		}
		if (!anyByAddress && alias != null) {
			response.addRecord(new CNAMERecord(name, DClass.IN, this.ttlSeconds, alias), Section.ANSWER);
		}
	}

	private void srv(List<Instance> up, Name name, Message response) {
		Set<Name> targets = new HashSet<>();
		for (Instance instance : up) {
			InetAddress address = HostAddress.parse(instance.host());
			Name target = (address != null) ? this.domain.addressName(address) : absolute(instance.host());
			if (target == null) {
				continue;
			}
			response.addRecord(new SRVRecord(name, DClass.IN, this.ttlSeconds, SRV_PRIORITY, SRV_WEIGHT,
					instance.port(), target), Section.ANSWER);
			if (address != null && targets.add(target)) {
				response.addRecord(addressRecord(target, address, typeOf(address)), Section.ADDITIONAL);
			}
		}
	}

	private void address(InetAddress address, Name name, int type, Message response) {
		Record record = addressRecord(name, address, type);
		if (record != null) {
			response.addRecord(record, Section.ANSWER);
		}
		else {
			noData(response);
		}
	}

	/** The A or AAAA record of the address, or {@code null} when it is not of the asked type. */
	private Record addressRecord(Name name, InetAddress address, int type) {
		if (type != typeOf(address)) {
			return null;
		}
		return (type == Type.A) ? new ARecord(name, DClass.IN, this.ttlSeconds, address)
				: new AAAARecord(name, DClass.IN, this.ttlSeconds, address);
	}

	private static int typeOf(InetAddress address) {
		return (address instanceof Inet4Address) ? Type.A : Type.AAAA;
	}

	/** The host name as an absolute DNS name; {@code null} for one DNS cannot carry (never for a valid host). */
	private static Name absolute(String host) {
		try {
			return Name.fromString(host, Name.root);
		}
		catch (TextParseException ex) {
			return null;
		}
	}

	private void noData(Message response) {
		response.addRecord(this.soa, Section.AUTHORITY);
	}

	private void nxDomain(Message response) {
		response.getHeader().setRcode(Rcode.NXDOMAIN);
		response.addRecord(this.soa, Section.AUTHORITY);
	}

}
