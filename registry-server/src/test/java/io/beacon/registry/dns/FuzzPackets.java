package io.beacon.registry.dns;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Type;

/**
 * Hostile DNS packets: random bytes, valid queries with random damage, and hand-made classics
 * (compression loops, counts far larger than the packet, overlong labels, wrong classes).
 */
final class FuzzPackets {

	private final Random random;

	private final List<byte[]> seeds = new ArrayList<>();

	FuzzPackets(long seed) {
		this.random = new Random(seed);
		for (int type : new int[] { Type.A, Type.AAAA, Type.SRV, Type.TXT, Type.ANY, Type.SOA }) {
			this.seeds.add(DnsQueries.query("payment.service.beacon", type));
			this.seeds.add(DnsQueries.ednsQuery("eu-1.payment.service.beacon", type, 1232));
			this.seeds.add(DnsQueries.query("_payment._tcp.service.beacon", type));
			this.seeds.add(DnsQueries.query("0a000001.addr.beacon", type));
		}
	}

	/** Random lengths (0-700) of random bytes. */
	byte[] random() {
		byte[] packet = new byte[this.random.nextInt(700)];
		this.random.nextBytes(packet);
		return packet;
	}

	/** A valid query with one to five random kinds of damage. */
	byte[] mutated() {
		byte[] seed = this.seeds.get(this.random.nextInt(this.seeds.size()));
		byte[] packet = seed.clone();
		int mutations = 1 + this.random.nextInt(5);
		for (int i = 0; i < mutations; i++) {
			packet = mutate(packet);
		}
		return packet;
	}

	private byte[] mutate(byte[] packet) {
		if (packet.length == 0) {
			return random();
		}
		int at = this.random.nextInt(packet.length);
		switch (this.random.nextInt(8)) {
			case 0 -> packet[at] ^= (byte) (1 << this.random.nextInt(8));
			case 1 -> packet[at] = (byte) this.random.nextInt(256);
			case 2 -> {
				return Arrays.copyOf(packet, at);
			}
			case 3 -> {
				byte[] longer = Arrays.copyOf(packet, packet.length + 1 + this.random.nextInt(64));
				for (int i = packet.length; i < longer.length; i++) {
					longer[i] = (byte) this.random.nextInt(256);
				}
				return longer;
			}
			case 4 -> {
				// a count (QD, AN, NS, AR) far larger than the packet
				if (packet.length >= 12) {
					int count = 4 + 2 * this.random.nextInt(4);
					packet[count] = (byte) 0xFF;
					packet[count + 1] = (byte) this.random.nextInt(256);
				}
			}
			case 5 -> {
				// a compression pointer to a random offset, often to itself or forward
				if (at + 1 < packet.length) {
					int target = this.random.nextInt(Math.max(1, packet.length));
					packet[at] = (byte) (0xC0 | (target >> 8));
					packet[at + 1] = (byte) target;
				}
			}
			case 6 -> {
				// header flags and opcode at random, QR left clear so the packet is still a query
				if (packet.length >= 4) {
					packet[2] = (byte) (this.random.nextInt(256) & 0x7F);
					packet[3] = (byte) this.random.nextInt(256);
				}
			}
			default -> {
				// a label length byte at random: overlong labels, extended label types
				packet[at] = (byte) (0x40 + this.random.nextInt(0xC0));
			}
		}
		return packet;
	}

	/** Hand-made malformed queries. */
	static List<byte[]> classics() {
		List<byte[]> packets = new ArrayList<>();
		// the question name is a pointer to itself
		packets.add(header(1, 0, 0, 0).put(new byte[] { (byte) 0xC0, 12, 0, 1, 0, 1 }).array());
		// two pointers to each other
		packets.add(header(1, 0, 0, 0).put(new byte[] { 1, 'a', (byte) 0xC0, 16, (byte) 0xC0, 12, 0, 1, 0, 1 }).array());
		// a pointer forward, past the end
		packets.add(header(1, 0, 0, 0).put(new byte[] { (byte) 0xC0, (byte) 0xFF, 0, 1, 0, 1 }).array());
		// every count at 65535 in a packet that holds one question
		ByteBuffer huge = header(0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF);
		huge.put(new byte[] { 1, 'a', 0, 0, 1, 0, 1 });
		packets.add(huge.array());
		// a label that claims 63 bytes where 3 follow
		packets.add(header(1, 0, 0, 0).put(new byte[] { 63, 'a', 'b', 'c' }).array());
		// a name of 300 bytes (over DNS's 255)
		ByteBuffer longName = ByteBuffer.allocate(12 + 5 * 61 + 5);
		longName.put(header(1, 0, 0, 0).array(), 0, 12);
		for (int i = 0; i < 61; i++) {
			longName.put(new byte[] { 4, 'a', 'b', 'c', 'd' });
		}
		longName.put(new byte[] { 0, 0, 1, 0, 1 });
		packets.add(longName.array());
		// a well-formed question of class CHAOS, HESIOD, NONE and ANY
		for (int dclass : new int[] { DClass.CH, DClass.HS, DClass.NONE, DClass.ANY }) {
			packets.add(DnsQueries.message("payment.service.beacon", Type.A, dclass).toWire());
		}
		// only a header
		packets.add(header(0, 0, 0, 0).array());
		packets.add(new byte[12]);
		return packets;
	}

	/** A query header (id 0x1234, RD) with the given counts, in a buffer with room for 64 more bytes. */
	private static ByteBuffer header(int qd, int an, int ns, int ar) {
		ByteBuffer buffer = ByteBuffer.allocate(12 + 64);
		buffer.putShort((short) 0x1234).putShort((short) 0x0100);
		buffer.putShort((short) qd).putShort((short) an).putShort((short) ns).putShort((short) ar);
		return buffer;
	}

}
