package io.beacon.registry.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;

import io.beacon.registry.core.Registry;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers DNS queries from the registry: wire bytes in, wire bytes out, no I/O. dnsjava reads and
 * writes the wire format; {@link DomainAnswers} decides what the answer says.
 * <p>
 * Whatever arrives, this never throws and never changes the registry (it only reads it):
 * <ul>
 * <li>packets shorter than a DNS header, and responses (QR set: answering them could make two servers
 * echo each other for ever) are dropped;</li>
 * <li>packets that do not parse (truncated, compression loops, counts larger than the packet), with
 * other than exactly one question, or whose question is not of class IN get FORMERR;</li>
 * <li>opcodes other than QUERY get NOTIMP, zone transfers REFUSED, EDNS versions other than 0
 * BADVERS.</li>
 * </ul>
 * An answer that does not fit (512 bytes over UDP, or the client's EDNS buffer size up to
 * {@value #MAX_UDP_PAYLOAD}) is cut at whole record sets with the TC flag set, and the client asks
 * again over TCP, where it gets everything up to 65,535 bytes.
 */
public final class DnsResponder {

	/** Largest UDP answer: the EDNS buffer size DNS Flag Day 2020 settled on, to avoid IP fragmentation. */
	public static final int MAX_UDP_PAYLOAD = 1232;

	/** UDP answer limit for clients that send no EDNS record (RFC 1035). */
	static final int PLAIN_UDP_PAYLOAD = 512;

	/** TCP messages carry a two-byte length. */
	static final int MAX_TCP_PAYLOAD = 65535;

	private static final int BADVERS = 16;

	/** How the query came, which bounds the size of the answer. */
	public enum Transport {

		/** UDP: 512 bytes, or the client's EDNS buffer size up to {@value DnsResponder#MAX_UDP_PAYLOAD}. */
		UDP,

		/** TCP: up to 65,535 bytes. */
		TCP

	}

	private final DomainAnswers answers;

	/**
	 * @param registry the registry to read
	 * @param domain the domain to answer for
	 * @param ttl the TTL of every record (whole seconds)
	 * @param random orders records, anew for each query
	 */
	public DnsResponder(Registry registry, DnsDomain domain, Duration ttl, Random random) {
		this.answers = new DomainAnswers(registry, domain, ttl.toSeconds(), random);
	}

	/**
	 * Answers one query.
	 * @param packet a DNS message as received
	 * @param transport how it came
	 * @return the answer's wire bytes, or {@code null} when the packet is to be dropped
	 */
	public byte[] respond(byte[] packet, Transport transport) {
		if (packet.length < Header.LENGTH) {
			return null;
		}
		Header header;
		try {
			header = new Header(packet);
		}
		catch (IOException ex) {
			return null;
		}
		if (header.getFlag(Flags.QR)) {
			return null;
		}
		Message query;
		try {
			query = new Message(packet);
		}
		catch (IOException | RuntimeException ex) {
			// Truncated, a compression loop, counts larger than the packet, or a record dnsjava refuses.
			return error(header, Rcode.FORMERR);
		}
		try {
			return answer(query, transport);
		}
		catch (RuntimeException ex) {
			// A query dnsjava parsed but cannot echo back (such as an odd question or EDNS record).
			return error(header, Rcode.FORMERR);
		}
	}

	private byte[] answer(Message query, Transport transport) {
		Header header = query.getHeader();
		if (header.getOpcode() != Opcode.QUERY) {
			return error(header, Rcode.NOTIMP);
		}
		if (header.getCount(Section.QUESTION) != 1) {
			return error(header, Rcode.FORMERR);
		}
		Record question = query.getQuestion();
		if (question.getDClass() != DClass.IN) {
			return error(header, Rcode.FORMERR);
		}
		OPTRecord opt = query.getOPT();
		Message response = new Message(header.getID());
		Header out = response.getHeader();
		out.setFlag(Flags.QR);
		if (header.getFlag(Flags.RD)) {
			out.setFlag(Flags.RD);
		}
		if (header.getFlag(Flags.CD)) {
			out.setFlag(Flags.CD);
		}
		response.addRecord(question, Section.QUESTION);
		int extendedRcode = 0;
		if (opt != null && opt.getVersion() != 0) {
			extendedRcode = BADVERS >>> 4;
			out.setRcode(BADVERS & 0xF);
		}
		else if (question.getType() == Type.AXFR || question.getType() == Type.IXFR) {
			out.setRcode(Rcode.REFUSED);
		}
		else {
			this.answers.answer(question.getName(), question.getType(), response);
		}
		if (opt != null) {
			response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, extendedRcode, 0), Section.ADDITIONAL);
		}
		return response.toWire(maxLength(transport, opt));
	}

	private static int maxLength(Transport transport, OPTRecord opt) {
		if (transport == Transport.TCP) {
			return MAX_TCP_PAYLOAD;
		}
		if (opt == null) {
			return PLAIN_UDP_PAYLOAD;
		}
		return Math.max(PLAIN_UDP_PAYLOAD, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
	}

	/** An answer with only a header: the query's id, opcode and RD flag, and the rcode. */
	private static byte[] error(Header query, int rcode) {
		Header header = new Header(query.getID());
		header.setFlag(Flags.QR);
		header.setOpcode(query.getOpcode());
		if (query.getFlag(Flags.RD)) {
			header.setFlag(Flags.RD);
		}
		header.setRcode(rcode);
		Message response = new Message();
		response.setHeader(header);
		return response.toWire(PLAIN_UDP_PAYLOAD);
	}

}
