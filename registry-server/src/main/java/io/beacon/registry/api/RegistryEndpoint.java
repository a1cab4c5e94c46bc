package io.beacon.registry.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.beacon.registry.core.RegistryStore;
import io.beacon.registry.core.RegistryStats;
import io.beacon.registry.core.Ticker;
import io.beacon.registry.http.ApiReply;
import io.beacon.registry.http.ApiRequest;
import io.beacon.registry.http.JsonReplies;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * {@code GET /v1/registry}: what this registry is and what it has done, for operators and the
 * dashboard. Rates are not computed here: a reader samples the running totals and divides.
 */
final class RegistryEndpoint {


	private final RegistryStore registry;

	private final String store;

	private final JsonReplies replies;

	private final Clock clock;

	private final Ticker ticker;

	private final String version;

	private final Instant startedAt;

	private final long startedAtNanos;

	/**
	 * @param clock the wall clock, for the times shown
	 * @param ticker the monotonic time source, for the uptime (a stepped wall clock does not change it)
	 */
	RegistryEndpoint(RegistryStore registry, String store, JsonReplies replies, Clock clock, Ticker ticker,
			String version) {
		this.registry = registry;
		this.store = store;
		this.replies = replies;
		this.clock = clock;
		this.ticker = ticker;
		this.version = version;
		this.startedAt = clock.instant();
		this.startedAtNanos = ticker.nanos();
	}

	ApiReply get(ApiRequest request) {
		request.allowQuery(Set.of());
		request.requireNoBody();
		request.requireAccepts(MediaType.APPLICATION_JSON);
		Instant now = this.clock.instant();
		RegistryStats stats = this.registry.stats();
		Totals totals = new Totals(stats.registrations(), stats.heartbeats(), stats.lapses(), stats.evictions(),
				stats.deregistrations());
		RegistryFacts facts = new RegistryFacts(this.version, this.store, this.registry.registryId(),
				this.registry.replicaId(), this.startedAt, now,
				Duration.ofNanos(this.ticker.nanos() - this.startedAtNanos).toSeconds(), this.registry.index(),
				this.registry.serviceCount(), this.registry.size(), this.registry.openWatches(), totals);
		return this.replies.json(HttpStatus.OK, facts);
	}

	/**
	 * The body of {@code GET /v1/registry}.
	 *
	 * @param version the registry server's version
	 * @param store where the state is kept: {@code memory} or {@code etcd}
	 * @param registryId this replica's identity; it changes when the registry restarts
	 * @param replicaId this process among the replicas sharing the store (the registry id when
	 * the store is this process's memory)
	 * @param startedAt when this registry started
	 * @param now the registry's time when it answered
	 * @param uptimeSeconds whole seconds since it started, by the monotonic clock
	 * @param index the registry index: the number of the latest change
	 * @param services services with at least one instance
	 * @param instances instances registered, any status
	 * @param watchers watch streams open
	 * @param totals running totals since start
	 */
	record RegistryFacts(String version, String store, String registryId, String replicaId, Instant startedAt, Instant now,
			long uptimeSeconds, long index, int services, int instances, int watchers, Totals totals) {
	}

	/**
	 * Running totals since the registry started.
	 *
	 * @param registrations new registrations and re-registrations
	 * @param heartbeats accepted heartbeats
	 * @param lapses leases that lapsed (instance marked DOWN)
	 * @param evictions instances removed after 3 lease TTLs without a heartbeat
	 * @param deregistrations instances deregistered by a client or an operator
	 */
	record Totals(long registrations, long heartbeats, long lapses, long evictions, long deregistrations) {
	}

}
