package io.beacon.registry.dns;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

import io.beacon.registry.dns.config.DnsServerLifecycle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The registry as users run it, with the DNS interface on: instances registered through the HTTP API,
 * looked up with the real dig and with the JDK's own DNS client (JNDI).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "beacon.registry.dns.enabled=true", "beacon.registry.dns.port=0" })
class DnsEndToEndTests {

	private static final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int httpPort;

	@Autowired
	private DnsServerLifecycle dnsServer;

	private Dig dig;

	@BeforeEach
	void dig() {
		this.dig = new Dig(this.dnsServer.port());
	}

	@Test
	void digGetsTheAddressesOfTheUpInstances() throws Exception {
		Dig.assumeInstalled();
		register("a-payment", "p1", "127.0.0.1", 8081, null);
		register("a-payment", "p2", "127.0.0.2", 8082, null);
		register("a-payment", "p3", "::1", 8083, null);
		register("a-payment", "p4", "127.0.0.4", 8084, null);
		status("a-payment", "p4", "DRAINING");

		assertThat(this.dig.answers("a-payment.service.beacon", "A")).containsExactlyInAnyOrder("A 127.0.0.1",
				"A 127.0.0.2");
		assertThat(this.dig.answers("a-payment.service.beacon", "AAAA")).containsExactly("AAAA ::1");
	}

	@Test
	void digGetsSrvRecordsWhoseTargetsResolveInTheAdditionalSection() throws Exception {
		Dig.assumeInstalled();
		register("s-payment", "p1", "127.0.0.1", 8081, null);
		register("s-payment", "p2", "127.0.0.2", 8082, null);

		String output = this.dig.run("s-payment.service.beacon", "SRV", "+noall", "+answer", "+additional");
		String rfc2782 = this.dig.run("_s-payment._tcp.service.beacon", "SRV", "+noall", "+answer");

		assertThat(Dig.namedRecords(output)).containsExactlyInAnyOrder(
				"s-payment.service.beacon. SRV 1 1 8081 7f000001.addr.beacon.",
				"s-payment.service.beacon. SRV 1 1 8082 7f000002.addr.beacon.", "7f000001.addr.beacon. A 127.0.0.1",
				"7f000002.addr.beacon. A 127.0.0.2");
		assertThat(Dig.records(rfc2782)).containsExactlyInAnyOrder("SRV 1 1 8081 7f000001.addr.beacon.",
				"SRV 1 1 8082 7f000002.addr.beacon.");
	}

	@Test
	void digFiltersByZone() throws Exception {
		Dig.assumeInstalled();
		register("z-payment", "p1", "127.0.0.1", 8081, "eu-1");
		register("z-payment", "p2", "127.0.0.2", 8082, "us-1");

		assertThat(this.dig.answers("eu-1.z-payment.service.beacon", "A")).containsExactly("A 127.0.0.1");
		assertThat(this.dig.answers("us-1.z-payment.service.beacon", "SRV"))
			.containsExactly("SRV 1 1 8082 7f000002.addr.beacon.");
	}

	@Test
	void digGetsNxdomainForUnknownNamesAndRefusedOutsideTheDomain() throws Exception {
		Dig.assumeInstalled();

		assertThat(this.dig.run("nobody.service.beacon", "A")).contains("status: NXDOMAIN")
			.containsPattern("beacon\\.\\s+0\\s+IN\\s+SOA");
		assertThat(this.dig.run("example.com", "A")).contains("status: REFUSED");
	}

	@Test
	void digGetsATruncatedAnswerOverUdpAndTheWholeOneOverTcp() throws Exception {
		Dig.assumeInstalled();
		for (int i = 1; i <= 120; i++) {
			register("big-payment", "p" + i, "127.0.1." + i, 8080, null);
		}

		String udpOnly = this.dig.run("big-payment.service.beacon", "A", "+ignore");
		String retried = this.dig.run("big-payment.service.beacon", "A");
		List<String> tcp = this.dig.answers("big-payment.service.beacon", "SRV", "+tcp");

		assertThat(udpOnly).containsPattern("flags: qr aa tc rd;").contains("ANSWER: 0");
		assertThat(retried).contains("Truncated, retrying in TCP mode").contains("ANSWER: 120");
		assertThat(tcp).hasSize(120);
	}

	@Test
	void aRegistryChangeIsInTheVeryNextAnswer() throws Exception {
		Dig.assumeInstalled();
		register("c-payment", "p1", "127.0.0.1", 8081, null);
		assertThat(this.dig.answers("c-payment.service.beacon", "A")).containsExactly("A 127.0.0.1");

		register("c-payment", "p2", "127.0.0.2", 8082, null);
		assertThat(this.dig.answers("c-payment.service.beacon", "A")).containsExactlyInAnyOrder("A 127.0.0.1",
				"A 127.0.0.2");

		status("c-payment", "p1", "DRAINING");
		assertThat(this.dig.answers("c-payment.service.beacon", "A")).containsExactly("A 127.0.0.2");

		deregister("c-payment", "p1");
		deregister("c-payment", "p2");
		assertThat(this.dig.run("c-payment.service.beacon", "A")).contains("status: NXDOMAIN");
	}

	@Test
	void theJdksOwnDnsClientResolvesThroughJndi() throws Exception {
		register("j-payment", "p1", "127.0.0.1", 8081, null);
		for (int i = 1; i <= 60; i++) {
			register("j-big", "p" + i, "127.0.2." + i, 9000 + i, null);
		}
		Hashtable<String, String> environment = new Hashtable<>();
		environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
		environment.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + this.dnsServer.port());
		DirContext dns = new InitialDirContext(environment);
		try {
			assertThat(values(dns, "j-payment.service.beacon", "A")).containsExactly("127.0.0.1");
			assertThat(values(dns, "_j-payment._tcp.service.beacon", "SRV"))
				.containsExactly("1 1 8081 7f000001.addr.beacon.");
			// 60 SRV records do not fit in 512 bytes: the JDK's client sees TC and asks again over TCP
			assertThat(values(dns, "j-big.service.beacon", "SRV")).hasSize(60);
			assertThatExceptionOfType(NameNotFoundException.class)
				.isThrownBy(() -> dns.getAttributes("nobody.service.beacon", new String[] { "A" }));
		}
		finally {
			dns.close();
		}
	}

	private static List<String> values(DirContext dns, String name, String type) throws NamingException {
		Attribute attribute = dns.getAttributes(name, new String[] { type }).get(type);
		List<String> values = new ArrayList<>();
		if (attribute != null) {
			NamingEnumeration<?> all = attribute.getAll();
			while (all.hasMore()) {
				values.add(all.next().toString());
			}
		}
		return values;
	}

	private void register(String service, String id, String host, int port, String zone) throws Exception {
		String body = "{\"instanceId\":\"" + id + "\",\"host\":\"" + host + "\",\"port\":" + port
				+ ((zone != null) ? ",\"zone\":\"" + zone + "\"" : "") + "}";
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(api("/v1/services/" + service + "/instances"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
	}

	private void status(String service, String id, String status) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(api("/v1/services/" + service + "/instances/" + id + "/status"))
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private void deregister(String service, String id) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(api("/v1/services/" + service + "/instances/" + id)).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
	}

	private URI api(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

}
