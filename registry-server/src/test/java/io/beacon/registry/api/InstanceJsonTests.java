package io.beacon.registry.api;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.beacon.registry.core.Instance;
import io.beacon.registry.core.InstanceStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written instance JSON is byte for byte what Jackson's default mapping of the wire
 * record gives with the API's {@code non_null} inclusion: the lease in whole seconds.
 */
class InstanceJsonTests {

	private static final JsonMapper DEFAULT_MAPPING = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private static final JsonMapper WITH_INSTANCE_JSON = DEFAULT_MAPPING.rebuild()
		.addModule(InstanceJson.module())
		.build();

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-28T02:16:09.477Z", "2026-11-28T02:16:09Z", "2026-11-28T02:16:09.400Z",
			"2026-11-28T02:16:09.007Z", "1970-01-01T00:00:00Z", "2026-11-28T02:16:09.123456789Z",
			"2026-11-28T02:16:09.000001Z", "1969-12-31T23:59:59.999Z", "+12026-01-01T00:00:00.5Z" })
	void writesWhatTheDefaultMappingWrites(String time) {
		Instant at = Instant.parse(time);
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("zone", "a \"quoted\" \u00e9 value");
		metadata.put("version", "1.0");
		Instance full = new Instance("i-1", "svc", "::1", 8080, true, InstanceStatus.DRAINING, "eu-1", metadata,
				Duration.ofSeconds(30), at, at.plusMillis(1));
		Instance sparse = new Instance("i-2", "svc", "10.0.0.1", 1, false, InstanceStatus.UP, null, Map.of(),
				Duration.ofSeconds(15), at, at);
		for (Instance instance : new Instance[] { full, sparse }) {
			assertThat(WITH_INSTANCE_JSON.writeValueAsString(instance))
				.isEqualTo(DEFAULT_MAPPING.writeValueAsString(Wire.of(instance)));
		}
	}

	/**
	 * The instance as the API's wire format has it: the lease in whole seconds.
	 */
	record Wire(String instanceId, String service, String host, int port, boolean secure, InstanceStatus status,
			String zone, Map<String, String> metadata, long leaseTtlSeconds, Instant registeredAt,
			Instant lastHeartbeatAt) {

		static Wire of(Instance i) {
			return new Wire(i.instanceId(), i.service(), i.host(), i.port(), i.secure(), i.status(), i.zone(),
					i.metadata(), i.leaseTtl().toSeconds(), i.registeredAt(), i.lastHeartbeatAt());
		}

	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-28T02:16:09.477Z", "2026-11-28T02:16:09Z", "2026-11-28T02:16:10.001Z" })
	void formatsInstantsAsIsoInstant(String time) {
		Instant at = Instant.parse(time);
		assertThat(InstanceJson.iso(at)).isEqualTo(at.toString());
		assertThat(InstanceJson.iso(at.plusSeconds(86_400))).isEqualTo(at.plusSeconds(86_400).toString());
	}

}
