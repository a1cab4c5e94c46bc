package io.beacon.registry.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InstanceRegistrationTests {

	@Test
	void serviceNamesAreCaseInsensitiveAndStoredLowerCase() {
		assertThat(valid("Payment-Service").service()).isEqualTo("payment-service");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "payment", "payment-service", "x1", "a-b-c", "0abc" })
	void dnsLabelServiceNamesAreAccepted(String name) {
		assertThat(valid(name).service()).isEqualTo(name);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-a", "a-", "a_b", "a.b", "a b", "ä", "a/b", "..",
			"a234567890123456789012345678901234567890123456789012345678901234" })
	void serviceNamesThatAreNotDnsLabelsAreRejected(String name) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> valid(name))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::field).containsExactly("service"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "inst-1", "host:8080", "a.b_c-d:e", "UPPER" })
	void instanceIdsOfAllowedCharactersAreAccepted(String id) {
		assertThat(registration(id, "127.0.0.1", 8080).instanceId()).isEqualTo(id);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a b", "a/b", "a%2Fb", "a\u0000b", "é", "a?b" })
	void instanceIdsWithOtherCharactersAreRejected(String id) {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> registration(id, "127.0.0.1", 8080))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::field).containsExactly("instanceId"));
	}

	@Test
	void instanceIdsLongerThan128AreRejected() {
		assertThat(registration("a".repeat(128), "h", 1).instanceId()).hasSize(128);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> registration("a".repeat(129), "h", 1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "10.0.0.255", "::1", "fe80::1", "2001:db8::8a2e:370:7334",
			"::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "payment.internal", "localhost", "a-b.example.com." })
	void hostsThatAreAddressesOrDnsNamesAreAccepted(String host) {
		assertThat(registration("i", host, 80).host()).isEqualTo(host);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "256.0.0.1", "1.2.3", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1:::2", "::1::",
			"gggg::1", "-bad.example", "a..b", "host name", "http://x", "[::1]", "::\uff11", "fe80::\u0661",
			"\uff11\uff12::1" })
	void hostsThatAreNeitherAreRejected(String host) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> registration("i", host, 80))
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::field).containsExactly("host"));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -1, 65536, Integer.MAX_VALUE })
	void portsOutsideTheTcpRangeAreRejected(int port) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> registration("i", "h", port))
			.withMessageContaining("port: must be between 1 and 65535");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 3601, -5 })
	void leaseTtlsOutsideOneSecondToOneHourAreRejected(int ttl) {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> InstanceRegistration.builder()
					.service("svc")
					.instanceId("i")
					.host("h")
					.port(80)
					.leaseTtl(Duration.ofSeconds(ttl))
					.build())
			.withMessageContaining("leaseTtl: must be between PT1S and PT1H");
	}

	@Test
	void defaultsApplyToFieldsLeftOut() {
		InstanceRegistration registration = InstanceRegistration.builder()
				.service("svc")
				.host("h")
				.port(80)
				.leaseTtl(Duration.ofSeconds(15))
				.build();
		assertThat(registration.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
		assertThat(registration.status()).isEqualTo(InstanceStatus.UP);
		assertThat(registration.secure()).isFalse();
		assertThat(registration.metadata()).isEmpty();
		assertThat(registration.instanceId()).isNull();
	}

	@Test
	void metadataWithinTheLimitsIsAccepted() {
		Map<String, String> metadata = new HashMap<>();
		for (int i = 0; i < 64; i++) {
			metadata.put("k".repeat(120) + i, "v".repeat(1024));
		}
		assertThat(withMetadata(metadata).metadata()).hasSize(64);
	}

	@Test
	void metadataOverTheLimitsIsRejectedNamingTheKey() {
		Map<String, String> tooMany = new HashMap<>();
		for (int i = 0; i < 65; i++) {
			tooMany.put("k" + i, "v");
		}
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> withMetadata(tooMany))
			.withMessageContaining("at most 64 entries");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> withMetadata(Map.of("k".repeat(129), "v")))
			.withMessageContaining("keys must be 1-128");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> withMetadata(Map.of("region", "v".repeat(1025))))
			.satisfies((ex) -> assertThat(ex.getViolations().get(0).field()).isEqualTo("metadata.region"));
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> withMetadata(Map.of("region", "eu\nwest")))
			.withMessageContaining("control characters");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> withMetadata(Map.of("re\u0007gion", "eu")))
			.withMessageContaining("control characters");
	}

	@Test
	void everyBrokenRuleIsReportedAtOnce() {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> InstanceRegistration.builder()
					.service("Bad_Name")
					.instanceId("bad id")
					.port(0)
					.zone("bad zone")
					.leaseTtl(Duration.ofSeconds(0))
					.build())
			.satisfies((ex) -> assertThat(ex.getViolations()).extracting(Violation::field)
				.containsExactly("service", "instanceId", "host", "port", "zone", "leaseTtl"));
	}

	@Test
	void rejectedValuesTravelBesideTheRuleAndNeverInTheMessage() {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> registration("x", "evil\r\nInjected: yes", 80))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).isEqualTo("host: is not a valid IPv6 address");
				assertThat(ex.getViolations()).singleElement()
					.extracting(Violation::rejected)
					.isEqualTo("evil\r\nInjected: yes");
			});
	}

	private static InstanceRegistration valid(String service) {
		return InstanceRegistration.builder()
				.service(service)
				.instanceId("i")
				.host("127.0.0.1")
				.port(80)
				.leaseTtl(Duration.ofSeconds(15))
				.build();
	}

	private static InstanceRegistration registration(String id, String host, int port) {
		return InstanceRegistration.builder()
				.service("svc")
				.instanceId(id)
				.host(host)
				.port(port)
				.leaseTtl(Duration.ofSeconds(15))
				.build();
	}

	private static InstanceRegistration withMetadata(Map<String, String> metadata) {
		return InstanceRegistration.builder()
				.service("svc")
				.instanceId("i")
				.host("h")
				.port(80)
				.metadata(metadata)
				.leaseTtl(Duration.ofSeconds(15))
				.build();
	}

}
