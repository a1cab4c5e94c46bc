package io.beacon.registry.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.Registry;
import io.beacon.registry.core.ServiceSummary;
import io.beacon.registry.dns.DnsResponder.Transport;
import io.beacon.registry.dns.server.DnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import static io.beacon.registry.dns.TestInstances.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of random and damaged packets: the responder never throws, answers only with well-formed
 * responses to the sender's id, never changes the registry, and the server keeps answering.
 */
class DnsFuzzTests {

	private static final Set<Integer> RCODES = Set.of(Rcode.NOERROR, Rcode.FORMERR, Rcode.NXDOMAIN, Rcode.NOTIMP,
			Rcode.REFUSED, Rcode.BADVERS);

	private static Registry registry;

	private static Registry newRegistry() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		return new Registry(clock, clock, 100);
	}

	private static DnsResponder responder;

	private static DnsServer server;

	@BeforeAll
	static void startServer() {
		registry = newRegistry();
		for (int i = 1; i <= 60; i++) {
			register(registry, "payment", "p" + i, (i % 2 == 0) ? "10.0.0." + i : "fd00::" + i, 8000 + i,
					(i % 7 == 0) ? InstanceStatus.DRAINING : InstanceStatus.UP, "eu-1");
		}
		register(registry, "payment", "named", "pay.internal.example", 9000);
		responder = new DnsResponder(registry, new DnsDomain("beacon"), Duration.ZERO, new Random(7));
		server = new DnsServer(responder, InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(10));
		server.start();
	}

	@AfterAll
	static void stopServer() {
		server.stop();
	}

	@Test
	void answersOnlyWellFormedResponsesToHostilePacketsAndNeverChangesTheRegistry() {
		long index = registry.index();
		List<ServiceSummary> services = registry.services();
		FuzzPackets fuzz = new FuzzPackets(20260101L);
		List<byte[]> packets = new ArrayList<>(FuzzPackets.classics());
		for (int i = 0; i < 5_000; i++) {
			packets.add(fuzz.random());
			packets.add(fuzz.mutated());
		}
		int answered = 0;
		int formerr = 0;
		List<String> failures = new ArrayList<>();
		for (byte[] packet : packets) {
			for (Transport transport : Transport.values()) {
				byte[] original = packet.clone();
				byte[] reply = responder.respond(packet, transport);
				if (!Arrays.equals(packet, original)) {
					failures.add("changed the packet " + Arrays.toString(original));
				}
				if (reply != null) {
					String problem = problemWith(packet, reply, transport);
					if (problem != null) {
						failures.add(problem + " answering " + Arrays.toString(packet));
					}
					answered++;
					formerr += ((reply[3] & 0x0F) == Rcode.FORMERR) ? 1 : 0;
				}
			}
		}
		assertThat(failures).isEmpty();
		assertThat(answered).isGreaterThan(1_000);
		assertThat(formerr).isGreaterThan(1_000);
		assertThat(registry.index()).isEqualTo(index);
		assertThat(registry.services()).isEqualTo(services);
	}

	@Test
	void answersFormerrToCompressionLoopsHugeCountsOverlongNamesAndWrongClasses() {
		for (byte[] packet : FuzzPackets.classics()) {
			byte[] reply = responder.respond(packet, Transport.UDP);
			assertThat(reply).as(Arrays.toString(packet)).isNotNull();
			assertThat(checkAnswer(packet, reply, Transport.UDP).getRcode()).as(Arrays.toString(packet))
				.isEqualTo(Rcode.FORMERR);
		}
	}

	/** What is wrong with a reply, or {@code null} when it is a well-formed response to the packet. */
	private static String problemWith(byte[] packet, byte[] reply, Transport transport) {
		int limit = (transport == Transport.UDP) ? DnsResponder.MAX_UDP_PAYLOAD : DnsResponder.MAX_TCP_PAYLOAD;
		if (reply.length > limit) {
			return "a reply of " + reply.length + " bytes over " + transport;
		}
		Message answer;
		try {
			answer = new Message(reply);
		}
		catch (IOException ex) {
			return "a reply that does not parse (" + ex.getMessage() + ")";
		}
		int id = ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF);
		if (!answer.getHeader().getFlag(Flags.QR) || answer.getHeader().getID() != id
				|| !RCODES.contains(answer.getRcode())) {
			return "a reply with a wrong header: " + answer.getHeader();
		}
		return null;
	}

	private static Message checkAnswer(byte[] packet, byte[] reply, Transport transport) {
		assertThat(reply.length).isLessThanOrEqualTo(
				(transport == Transport.UDP) ? DnsResponder.MAX_UDP_PAYLOAD : DnsResponder.MAX_TCP_PAYLOAD);
		Message answer = DnsQueries.parse(reply);
		assertThat(answer.getHeader().getFlag(Flags.QR)).isTrue();
		assertThat(answer.getHeader().getID()).isEqualTo(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF));
		assertThat(RCODES).contains(answer.getRcode());
		return answer;
	}

	@Test
	void keepsAnsweringAfterThousandsOfHostileDatagramsAndConnections() throws Exception {
		long index = registry.index();
		FuzzPackets fuzz = new FuzzPackets(99L);
		AtomicInteger malformedReplies = new AtomicInteger();
		AtomicInteger replies = new AtomicInteger();
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			socket.setSoTimeout(50);
			for (int i = 0; i < 3_000; i++) {
				byte[] packet = (i % 2 == 0) ? fuzz.random() : fuzz.mutated();
				socket.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), server.port()));
				if (i % 50 == 49) {
					drain(socket, replies, malformedReplies);
				}
			}
			drain(socket, replies, malformedReplies);
		}
		for (int i = 0; i < 200; i++) {
			hostileConnection(fuzz, i);
		}

		assertThat(replies.get()).isGreaterThan(100);
		assertThat(malformedReplies.get()).isZero();
		assertThat(registry.index()).isEqualTo(index);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(udpQuery("payment.service.beacon", Type.A).getSection(Section.ANSWER)).hasSize(26);
			assertThat(tcpQuery("payment.service.beacon", Type.SRV).getSection(Section.ANSWER)).hasSize(53);
		});
	}

	/** Reads the replies waiting on the socket; each must be a well-formed response. */
	private static void drain(DatagramSocket socket, AtomicInteger replies, AtomicInteger malformed)
			throws IOException {
		byte[] buffer = new byte[65535];
		while (true) {
			DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(reply);
			}
			catch (SocketTimeoutException ex) {
				return;
			}
			replies.incrementAndGet();
			try {
				Header header = new Header(Arrays.copyOf(reply.getData(), reply.getLength()));
				new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
				if (!header.getFlag(Flags.QR)) {
					malformed.incrementAndGet();
				}
			}
			catch (IOException ex) {
				malformed.incrementAndGet();
			}
		}
	}

	/** One connection that sends garbage: lengths that lie, bytes at random, or a query cut short. */
	private static void hostileConnection(FuzzPackets fuzz, int kind) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
			socket.setSoTimeout(2_000);
			OutputStream out = socket.getOutputStream();
			byte[] packet = fuzz.mutated();
			switch (kind % 4) {
				case 0 -> out.write(fuzz.random());
				case 1 -> {
					out.write(new byte[] { (byte) (packet.length >> 8), (byte) packet.length });
					out.write(packet);
				}
				case 2 -> {
					out.write(new byte[] { (byte) 0xFF, (byte) 0xFF });
					out.write(packet);
				}
				default -> out.write(new byte[] { 0, 0, 0, 12 });
			}
			out.flush();
			socket.shutdownOutput();
			InputStream in = socket.getInputStream();
			try {
				in.readAllBytes();
			}
			catch (IOException ex) {
				// closed by the server: what it does with a stream it cannot use
			}
		}
	}

	static Message udpQuery(String name, int type) throws IOException {
		byte[] query = DnsQueries.ednsQuery(name, type, 65535);
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			socket.setSoTimeout(2_000);
			socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), server.port()));
			byte[] buffer = new byte[65535];
			DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
			socket.receive(reply);
			return DnsQueries.parse(Arrays.copyOf(buffer, reply.getLength()));
		}
	}

	static Message tcpQuery(String name, int type) throws IOException {
		byte[] query = DnsQueries.query(name, type);
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
			socket.setSoTimeout(2_000);
			OutputStream out = socket.getOutputStream();
			out.write(new byte[] { (byte) (query.length >> 8), (byte) query.length });
			out.write(query);
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] length = in.readNBytes(2);
			return DnsQueries.parse(in.readNBytes(((length[0] & 0xFF) << 8) | (length[1] & 0xFF)));
		}
	}

}
