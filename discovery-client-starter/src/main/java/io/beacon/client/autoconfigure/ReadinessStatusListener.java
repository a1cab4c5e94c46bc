package io.beacon.client.autoconfigure;

import io.beacon.client.InstanceStatus;
import io.beacon.client.registration.Registrar;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * Follows Boot's readiness: ready for traffic is UP, refusing traffic is DRAINING.
 */
final class ReadinessStatusListener implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

	private final Registrar registrar;

	ReadinessStatusListener(Registrar registrar) {
		this.registrar = registrar;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
		this.registrar.setStatus((event.getState() == ReadinessState.ACCEPTING_TRAFFIC) ? InstanceStatus.UP
				: InstanceStatus.DRAINING);
	}

}
