package io.beacon.registry.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.beacon.registry.core.MutableClock;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real one-member etcd on loopback for a test class (started before its first test, stopped after
 * its last), a key prefix of its own for each test (the tests share the etcd but never each other's
 * keys), and the replicas a test connects, closed after it. Register it as a static field:
 * {@code @RegisterExtension static final EtcdReplicas etcd = new EtcdReplicas();}
 */
public final class EtcdReplicas implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

	private final List<EtcdRegistry> replicas = new ArrayList<>();

	private EtcdCluster etcd;

	private Client client;

	private String prefix;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		this.etcd = EtcdCluster.start(1);
		this.client = Client.builder().endpoints(this.etcd.endpoints().toArray(String[]::new)).build();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		if (this.client != null) {
			this.client.close();
		}
		if (this.etcd != null) {
			this.etcd.close();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.prefix = "/test-" + UUID.randomUUID();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.replicas.forEach(EtcdRegistry::close);
		this.replicas.clear();
	}

	/** The member's client URLs. */
	public List<String> endpoints() {
		return this.etcd.endpoints();
	}

	/** A client of the member, for what a test does to etcd directly (compaction, counting keys). */
	public Client client() {
		return this.client;
	}

	/** This test's key prefix. */
	public String prefix() {
		return this.prefix;
	}

	/** Settings for this test's prefix at {@code endpoints}: 2 s to connect, 5 s per request, a 10 s session. */
	public EtcdSettings settings(List<String> endpoints) {
		return new EtcdSettings(endpoints, this.prefix, Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(10));
	}

	/** A replica on this test's prefix, timed by {@code clock}, closed after the test. */
	public EtcdRegistry replica(MutableClock clock) {
		return replica(settings(endpoints()), clock);
	}

	/** Closes {@code replica} now, as if its process ended (not again after the test). */
	public void close(EtcdRegistry replica) {
		this.replicas.remove(replica);
		replica.close();
	}

	/** A replica with these settings, timed by {@code clock}, closed after the test. */
	public EtcdRegistry replica(EtcdSettings settings, MutableClock clock) {
		EtcdRegistry replica = EtcdRegistry.connect(settings, clock, clock, 100);
		this.replicas.add(replica);
		return replica;
	}

}
