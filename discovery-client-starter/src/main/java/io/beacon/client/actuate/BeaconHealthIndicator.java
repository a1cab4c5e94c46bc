package io.beacon.client.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.beacon.client.discovery.BeaconDiscoveryClient;
import io.beacon.client.registration.Registrar;
import io.beacon.client.registration.RegistrationStatus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code beacon} health component. It is informative: it is always UP, so that the registry
 * being away never makes this application look DOWN (the application still serves, and still
 * calls others from its cached view); the details say what is wrong.
 */
public class BeaconHealthIndicator implements HealthIndicator {

	private final Registrar registrar;

	private final BeaconDiscoveryClient discovery;

	/**
	 * @param registrar the registrar, or {@code null} when this application does not register
	 * @param discovery the discovery client, or {@code null} when discovery is off
	 */
	public BeaconHealthIndicator(Registrar registrar, BeaconDiscoveryClient discovery) {
		this.registrar = registrar;
		this.discovery = discovery;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		if (this.registrar != null) {
			RegistrationStatus status = this.registrar.snapshot();
			Map<String, Object> registration = new LinkedHashMap<>();
			registration.put("state", status.state());
			registration.put("service", status.service());
			registration.put("instanceId", status.instanceId());
			registration.put("status", status.status());
			registration.put("lastHeartbeat", status.lastHeartbeat());
			health.withDetail("registration", registration);
			health.withDetail("registryReachable", status.registryReachable());
			health.withDetail("registryUrl", status.registryUrl().toString());
		}
		if (this.discovery != null) {
			boolean stale = this.discovery.staleSince().isPresent();
			Map<String, Object> cache = new LinkedHashMap<>();
			cache.put("services", this.discovery.cachedServices().size());
			cache.put("instances", this.discovery.cacheSize());
			cache.put("stale", stale);
			if (stale) {
				cache.put("staleFor", this.discovery.staleness().toString());
			}
			health.withDetail("cache", cache);
		}
		return health.build();
	}

}
