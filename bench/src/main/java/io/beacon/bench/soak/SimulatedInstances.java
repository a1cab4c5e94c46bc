package io.beacon.bench.soak;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Names, bodies and lease of the soak's simulated instances. */
final class SimulatedInstances {

	static final int LEASE_SECONDS = 15;

	/** A third of the lease, as the starter heartbeats. */
	static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(LEASE_SECONDS) / 3;

	private SimulatedInstances() {
	}

	static String service(int i) {
		return String.format(Locale.ROOT, "soak-svc-%03d", i % 100);
	}

	static String instanceId(int i) {
		return String.format(Locale.ROOT, "soak-%05d", i);
	}

	static String registrationPath(int i) {
		return "/v1/services/" + service(i) + "/instances";
	}

	static String heartbeatPath(int i) {
		return "/v1/services/" + service(i) + "/instances/" + instanceId(i) + "/heartbeat";
	}

	/** A registration of instance {@code i}; each {@code generation} has different metadata. */
	static String registration(int i, long generation) {
		return String.format(Locale.ROOT,
				"{\"instanceId\":\"%s\",\"host\":\"127.0.0.1\",\"port\":%d,\"leaseTtlSeconds\":%d,"
						+ "\"metadata\":{\"zone\":\"z%d\",\"version\":\"1.%d.%d\"}}",
				instanceId(i), 20_000 + (i % 40_000), LEASE_SECONDS, i % 3, generation, i % 10);
	}

}
