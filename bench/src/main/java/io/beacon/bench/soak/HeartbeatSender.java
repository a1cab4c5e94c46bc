package io.beacon.bench.soak;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.beacon.bench.http.RegistryClient;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Registers the instances {@code i % senders == slot}, then heartbeats each one every interval,
 * counted from its own registration, one request at a time. Registering the slice is interleaved
 * with the heartbeats already due, so no lease waits for the rest of the slice to register.
 */
final class HeartbeatSender implements Runnable {

	private final RegistryClient registry;

	private final int[] ids;

	private final long[] due;

	private final Counters counters;

	private final AtomicBoolean running;

	HeartbeatSender(RegistryClient registry, int slot, int senders, int instances, Counters counters,
			AtomicBoolean running) {
		this.registry = registry;
		this.ids = IntStream.range(0, instances).filter((i) -> i % senders == slot).toArray();
		this.due = new long[this.ids.length];
		this.counters = counters;
		this.running = running;
	}

	@Override
	public void run() {
		int registered = 0;
		int next = 0;
		try {
			while (this.running.get()) {
				long now = System.nanoTime();
				if (registered > 0 && this.due[next] <= now) {
					heartbeat(this.ids[next], now - this.due[next]);
					this.due[next] += SimulatedInstances.HEARTBEAT_NANOS;
					next = (next + 1) % registered;
				}
				else if (registered < this.ids.length) {
					if (status(HttpMethod.POST, SimulatedInstances.registrationPath(this.ids[registered]),
							SimulatedInstances.registration(this.ids[registered], 0)) / 100 == 2) {
						this.counters.registered.incrementAndGet();
					}
					this.due[registered] = System.nanoTime() + SimulatedInstances.HEARTBEAT_NANOS;
					registered++;
				}
				else {
					long waitNanos = Math.min(this.due[next] - now, TimeUnit.MILLISECONDS.toNanos(200));
					TimeUnit.NANOSECONDS.sleep(Math.max(waitNanos, 0));
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void heartbeat(int i, long lateNanos) {
		if (lateNanos > SimulatedInstances.HEARTBEAT_NANOS) {
			this.counters.late.incrementAndGet();
		}
		int status = status(HttpMethod.PUT, SimulatedInstances.heartbeatPath(i), null);
		if (status == 204) {
			this.counters.heartbeats.incrementAndGet();
		}
		else if (status == 404) {
			this.counters.reregistered.incrementAndGet();
			status(HttpMethod.POST, SimulatedInstances.registrationPath(i), SimulatedInstances.registration(i, 0));
		}
		else {
			this.counters.failures.incrementAndGet();
		}
	}

	/** One call's status, or -1 (counted as a failure) when it failed without an answer. */
	private int status(HttpMethod method, String path, String json) {
		try {
			return this.registry.send(method, path, json).status();
		}
		catch (RuntimeException ex) {
			this.counters.failures.incrementAndGet();
			return -1;
		}
	}

}
