package io.beacon.bench.soak;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.beacon.bench.http.RegistryClient;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Re-registers instance after instance with new metadata at a fixed rate, so that change events
 * flow through every watch stream and the registry's bounded change log wraps around.
 */
final class Churn implements Runnable {

	private final RegistryClient registry;

	private final int instances;

	private final int perSecond;

	private final Counters counters;

	private final AtomicBoolean running;

	Churn(RegistryClient registry, int instances, int perSecond, Counters counters, AtomicBoolean running) {
		this.registry = registry;
		this.instances = instances;
		this.perSecond = perSecond;
		this.counters = counters;
		this.running = running;
	}

	@Override
	public void run() {
		long period = TimeUnit.SECONDS.toNanos(1) / this.perSecond;
		long next = System.nanoTime();
		try {
			for (long n = 0; this.running.get(); n++) {
				TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
				next += period;
				int i = (int) ((n * 7919) % this.instances);
				try {
					RegistryClient.Reply reply = this.registry.send(HttpMethod.POST,
							SimulatedInstances.registrationPath(i), SimulatedInstances.registration(i, n + 1));
					(reply.status() == 200 ? this.counters.changes : this.counters.failures).incrementAndGet();
				}
				catch (RuntimeException ex) {
					this.counters.failures.incrementAndGet();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
