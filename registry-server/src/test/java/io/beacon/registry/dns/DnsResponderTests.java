package io.beacon.registry.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.beacon.registry.core.InstanceStatus;
import io.beacon.registry.core.MutableClock;
import io.beacon.registry.core.Registry;
import io.beacon.registry.dns.DnsResponder.Transport;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import static io.beacon.registry.dns.DnsQueries.ednsQuery;
import static io.beacon.registry.dns.DnsQueries.parse;
import static io.beacon.registry.dns.DnsQueries.query;
import static io.beacon.registry.dns.DnsQueries.records;
import static io.beacon.registry.dns.TestInstances.register;
import static org.assertj.core.api.Assertions.assertThat;

class DnsResponderTests {

	private final Registry registry = newRegistry();

	private static Registry newRegistry() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		return new Registry(clock, clock, 100);
	}

	private final DnsResponder responder = new DnsResponder(this.registry, new DnsDomain("beacon"), Duration.ZERO,
			new Random(42));

	private Message ask(String name, int type) {
		return parse(this.responder.respond(query(name, type), Transport.UDP));
	}

	@Test
	void answersTheAddressesOfTheUpInstancesForA() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);
		register(this.registry, "payment", "p2", "10.0.0.2", 8082);
		register(this.registry, "payment", "p3", "10.0.0.3", 8083, InstanceStatus.DRAINING, null);
		register(this.registry, "payment", "p4", "10.0.0.4", 8084, InstanceStatus.STARTING, null);
		register(this.registry, "payment", "p5", "10.0.0.5", 8085, InstanceStatus.DOWN, null);
		register(this.registry, "payment", "p6", "fd00::6", 8086);

		Message answer = ask("payment.service.beacon", Type.A);

		assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
		assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
		assertThat(answer.getHeader().getFlag(Flags.QR)).isTrue();
		assertThat(records(answer, Section.ANSWER)).containsExactlyInAnyOrder("A 10.0.0.1", "A 10.0.0.2");
	}

	@Test
	void answersTheIpv6AddressesForAaaa() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);
		register(this.registry, "payment", "p2", "fd00::2", 8082);

		assertThat(records(ask("payment.service.beacon", Type.AAAA), Section.ANSWER)).containsExactly("AAAA fd00:0:0:0:0:0:0:2");
	}

	@Test
	void answersACnameWhenTheUpInstancesAreRegisteredByName() {
		register(this.registry, "payment", "p1", "pay-1.internal.example", 8081);
		register(this.registry, "payment", "p2", "pay-2.internal.example", 8082);

		Message answer = ask("payment.service.beacon", Type.A);

		assertThat(records(answer, Section.ANSWER)).singleElement()
			.isIn("CNAME pay-1.internal.example.", "CNAME pay-2.internal.example.");
	}

	@Test
	void leavesInstancesRegisteredByNameOutOfAddressAnswersWhenOthersHaveAddresses() {
		register(this.registry, "payment", "p1", "pay-1.internal.example", 8081);
		register(this.registry, "payment", "p2", "10.0.0.2", 8082);

		assertThat(records(ask("payment.service.beacon", Type.A), Section.ANSWER)).containsExactly("A 10.0.0.2");
	}

	@Test
	void answersSrvWithEachInstancesPortAndTheTargetsAddressesInTheAdditionalSection() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);
		register(this.registry, "payment", "p2", "10.0.0.1", 9091);
		register(this.registry, "payment", "p3", "fd00::3", 8083);
		register(this.registry, "payment", "p4", "pay-4.internal.example", 8084);
		register(this.registry, "payment", "p5", "10.0.0.5", 8085, InstanceStatus.DOWN, null);

		Message answer = ask("payment.service.beacon", Type.SRV);

		assertThat(records(answer, Section.ANSWER)).containsExactlyInAnyOrder("SRV 1 1 8081 0a000001.addr.beacon.",
				"SRV 1 1 9091 0a000001.addr.beacon.", "SRV 1 1 8083 fd000000000000000000000000000003.addr.beacon.",
				"SRV 1 1 8084 pay-4.internal.example.");
		assertThat(answer.getSection(Section.ADDITIONAL)).filteredOn((record) -> !(record instanceof OPTRecord))
			.extracting((record) -> record.getName() + " " + Type.string(record.getType()) + " " + record.rdataToString())
			.containsExactlyInAnyOrder("0a000001.addr.beacon. A 10.0.0.1",
					"fd000000000000000000000000000003.addr.beacon. AAAA fd00:0:0:0:0:0:0:3");
	}

	@Test
	void answersSrvForTheRfc2782NameToo() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);

		Message answer = ask("_payment._tcp.service.beacon", Type.SRV);

		assertThat(records(answer, Section.ANSWER)).containsExactly("SRV 1 1 8081 0a000001.addr.beacon.");
		assertThat(answer.getSection(Section.ANSWER).get(0).getName()).hasToString("_payment._tcp.service.beacon.");
	}

	@Test
	void answersTheAddressOfAnAddrName() {
		assertThat(records(ask("0a000001.addr.beacon", Type.A), Section.ANSWER)).containsExactly("A 10.0.0.1");
		assertThat(records(ask("fd000000000000000000000000000003.addr.beacon", Type.AAAA), Section.ANSWER))
			.containsExactly("AAAA fd00:0:0:0:0:0:0:3");
		assertThat(ask("0a000001.addr.beacon", Type.AAAA).getSection(Section.ANSWER)).isEmpty();
		assertThat(ask("0a0000.addr.beacon", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
		assertThat(ask("0a00000g.addr.beacon", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
	}

	@Test
	void filtersByZone() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081, InstanceStatus.UP, "eu-1");
		register(this.registry, "payment", "p2", "10.0.0.2", 8082, InstanceStatus.UP, "us-1");
		register(this.registry, "payment", "p3", "10.0.0.3", 8083, InstanceStatus.UP, "eu.west.2");
		register(this.registry, "payment", "p4", "10.0.0.4", 8084);

		assertThat(records(ask("eu-1.payment.service.beacon", Type.A), Section.ANSWER)).containsExactly("A 10.0.0.1");
		assertThat(records(ask("EU-1.payment.service.beacon", Type.SRV), Section.ANSWER))
			.containsExactly("SRV 1 1 8081 0a000001.addr.beacon.");
		assertThat(records(ask("eu.west.2.payment.service.beacon", Type.A), Section.ANSWER))
			.containsExactly("A 10.0.0.3");
		assertThat(ask("ap-1.payment.service.beacon", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
	}

	@Test
	void answersNxdomainWithTheSoaForNamesThatDoNotExist() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);

		for (String name : List.of("order.service.beacon", "www.beacon", "x.y.addr.beacon", "_payment._udp.service.beacon")) {
			Message answer = ask(name, Type.A);
			assertThat(answer.getRcode()).as(name).isEqualTo(Rcode.NXDOMAIN);
			assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
			assertThat(records(answer, Section.AUTHORITY)).as(name)
				.containsExactly("SOA ns.beacon. hostmaster.beacon. 1 3600 600 86400 0");
		}
	}

	@Test
	void answersAnEmptyNoerrorForOtherTypesAndForServicesWithNoUpInstance() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);
		register(this.registry, "order", "o1", "10.0.0.9", 8080, InstanceStatus.DRAINING, null);

		for (Message answer : List.of(ask("payment.service.beacon", Type.TXT), ask("payment.service.beacon", Type.MX),
				ask("order.service.beacon", Type.A), ask("order.service.beacon", Type.SRV),
				ask("service.beacon", Type.A), ask("beacon", Type.A))) {
			assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
			assertThat(answer.getSection(Section.ANSWER)).isEmpty();
			assertThat(records(answer, Section.AUTHORITY)).hasSize(1).allMatch((record) -> record.startsWith("SOA"));
		}
		assertThat(records(ask("beacon", Type.SOA), Section.ANSWER)).hasSize(1);
	}

	@Test
	void refusesNamesOutsideItsDomainAsItIsNoRecursiveResolver() {
		Message answer = ask("example.com", Type.A);

		assertThat(answer.getRcode()).isEqualTo(Rcode.REFUSED);
		assertThat(answer.getHeader().getFlag(Flags.AA)).isFalse();
		assertThat(answer.getSection(Section.ANSWER)).isEmpty();
	}

	@Test
	void matchesNamesWhateverTheirCaseAndEchoesTheCaseOfTheQuestion() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);

		Message answer = ask("PayMent.SERVICE.Beacon", Type.A);

		assertThat(records(answer, Section.ANSWER)).containsExactly("A 10.0.0.1");
		assertThat(answer.getQuestion().getName()).hasToString("PayMent.SERVICE.Beacon.");
		assertThat(answer.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("PayMent.SERVICE.Beacon.");
	}

	@Test
	void answersUnderAConfiguredDomainWithTheConfiguredTtl() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);
		DnsResponder responder = new DnsResponder(this.registry, new DnsDomain("Disco.Example."), Duration.ofSeconds(30),
				new Random(1));

		Message answer = parse(responder.respond(query("payment.service.disco.example", Type.A), Transport.UDP));
		Message outside = parse(responder.respond(query("payment.service.beacon", Type.A), Transport.UDP));

		assertThat(answer.getSection(Section.ANSWER)).singleElement().extracting(Record::getTTL).isEqualTo(30L);
		assertThat(outside.getRcode()).isEqualTo(Rcode.REFUSED);
	}

	@Test
	void ordersTheRecordsAnewForEachQuery() {
		for (int i = 1; i <= 5; i++) {
			register(this.registry, "payment", "p" + i, "10.0.0." + i, 8080 + i);
		}
		Set<List<String>> orders = new HashSet<>();
		Set<String> firsts = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			List<String> order = records(ask("payment.service.beacon", Type.A), Section.ANSWER);
			assertThat(order).hasSize(5);
			orders.add(order);
			firsts.add(order.get(0));
		}
		assertThat(orders).hasSizeGreaterThan(20);
		assertThat(firsts).hasSize(5);
	}

	@Test
	void seesARegistryChangeAtTheVeryNextQuery() {
		register(this.registry, "payment", "p1", "10.0.0.1", 8081);
		assertThat(records(ask("payment.service.beacon", Type.A), Section.ANSWER)).containsExactly("A 10.0.0.1");

		this.registry.updateStatus("payment", "p1", InstanceStatus.DRAINING);
		assertThat(ask("payment.service.beacon", Type.A).getSection(Section.ANSWER)).isEmpty();

		this.registry.deregister("payment", "p1");
		assertThat(ask("payment.service.beacon", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
	}

	@Test
	void truncatesAnAnswerTooBigForUdpAndSendsItWholeOverTcp() {
		for (int i = 1; i <= 100; i++) {
			register(this.registry, "payment", "p" + i, "10.0.1." + i, 8080);
		}

		Message plain = parse(this.responder.respond(query("payment.service.beacon", Type.A), Transport.UDP));
		byte[] ednsWire = this.responder.respond(ednsQuery("payment.service.beacon", Type.A, 4096), Transport.UDP);
		Message overTcp = parse(this.responder.respond(query("payment.service.beacon", Type.A), Transport.TCP));
		Message srvOverTcp = parse(this.responder.respond(query("payment.service.beacon", Type.SRV), Transport.TCP));

		assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
		assertThat(plain.getSection(Section.ANSWER)).isEmpty();
		assertThat(ednsWire.length).isLessThanOrEqualTo(DnsResponder.MAX_UDP_PAYLOAD);
		assertThat(parse(ednsWire).getHeader().getFlag(Flags.TC)).isTrue();
		assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
		assertThat(overTcp.getSection(Section.ANSWER)).hasSize(100);
		assertThat(srvOverTcp.getSection(Section.ANSWER)).hasSize(100);
		assertThat(srvOverTcp.getSection(Section.ADDITIONAL)).hasSize(100);
	}

	@Test
	void fitsAnEdnsAnswerIntoTheClientsBufferUpToTheLimit() {
		for (int i = 1; i <= 40; i++) {
			register(this.registry, "payment", "p" + i, "10.0.1." + i, 8080);
		}

		Message plain = parse(this.responder.respond(query("payment.service.beacon", Type.A), Transport.UDP));
		Message edns = parse(this.responder.respond(ednsQuery("payment.service.beacon", Type.A, 1232), Transport.UDP));

		assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
		assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
		assertThat(edns.getSection(Section.ANSWER)).hasSize(40);
		assertThat(edns.getOPT().getPayloadSize()).isEqualTo(DnsResponder.MAX_UDP_PAYLOAD);
	}

	@Test
	void answersFormerrToMoreThanOneQuestionAndToClassesOtherThanIn() {
		Message two = DnsQueries.message("a.service.beacon", Type.A, DClass.IN);
		two.addRecord(DnsQueries.message("b.service.beacon", Type.A, DClass.IN).getQuestion(), Section.QUESTION);
		byte[] chaos = DnsQueries.message("version.bind", Type.TXT, DClass.CH).toWire();

		assertThat(parse(this.responder.respond(two.toWire(), Transport.UDP)).getRcode()).isEqualTo(Rcode.FORMERR);
		assertThat(parse(this.responder.respond(chaos, Transport.UDP)).getRcode()).isEqualTo(Rcode.FORMERR);
	}

	@Test
	void answersNotimpToOtherOpcodesRefusedToZoneTransfersAndBadversToNewerEdns() {
		Message notify = DnsQueries.message("beacon", Type.SOA, DClass.IN);
		notify.getHeader().setOpcode(Opcode.NOTIFY);
		Message edns1 = DnsQueries.message("payment.service.beacon", Type.A, DClass.IN);
		edns1.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

		assertThat(parse(this.responder.respond(notify.toWire(), Transport.UDP)).getRcode()).isEqualTo(Rcode.NOTIMP);
		assertThat(ask("beacon", Type.AXFR).getRcode()).isEqualTo(Rcode.REFUSED);
		assertThat(parse(this.responder.respond(edns1.toWire(), Transport.UDP)).getRcode()).isEqualTo(Rcode.BADVERS);
	}

	@Test
	void dropsAnswersAndPacketsShorterThanAHeader() {
		Message response = DnsQueries.message("payment.service.beacon", Type.A, DClass.IN);
		response.getHeader().setFlag(Flags.QR);

		assertThat(this.responder.respond(response.toWire(), Transport.UDP)).isNull();
		assertThat(this.responder.respond(new byte[11], Transport.UDP)).isNull();
		assertThat(this.responder.respond(new byte[0], Transport.TCP)).isNull();
	}

	@Test
	void answersFormerrWithTheQueryIdToPacketsThatDoNotParse() {
		byte[] packet = query("payment.service.beacon", Type.A);
		byte[] truncated = Arrays.copyOf(packet, packet.length - 3);

		Message answer = parse(this.responder.respond(truncated, Transport.UDP));

		assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
		assertThat(answer.getHeader().getID()).isEqualTo(parse(packet).getHeader().getID());
		assertThat(answer.getHeader().getFlag(Flags.QR)).isTrue();
	}

}
