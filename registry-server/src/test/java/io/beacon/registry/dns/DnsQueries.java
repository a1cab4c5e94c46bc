package io.beacon.registry.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * Builds query packets and reads answers with dnsjava, for tests that call the responder directly.
 */
final class DnsQueries {

	private DnsQueries() {
	}

	/** A recursion-desired query without EDNS, as a plain stub resolver sends it. */
	static byte[] query(String name, int type) {
		return message(name, type, DClass.IN).toWire();
	}

	/** A query with an EDNS record advertising {@code bufferSize}, as dig sends it. */
	static byte[] ednsQuery(String name, int type, int bufferSize) {
		Message message = message(name, type, DClass.IN);
		message.addRecord(new OPTRecord(bufferSize, 0, 0), Section.ADDITIONAL);
		return message.toWire();
	}

	static Message message(String name, int type, int dclass) {
		try {
			Message message = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, dclass));
			message.getHeader().setFlag(Flags.RD);
			return message;
		}
		catch (TextParseException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	static Message parse(byte[] wire) {
		try {
			return new Message(wire);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The records of a section as "type rdata" strings, such as "A 10.0.0.1". */
	static List<String> records(Message message, int section) {
		return message.getSection(section)
			.stream()
			.filter((record) -> !(record instanceof OPTRecord))
			.map((record) -> org.xbill.DNS.Type.string(record.getType()) + " " + record.rdataToString())
			.collect(Collectors.toList());
	}

}
