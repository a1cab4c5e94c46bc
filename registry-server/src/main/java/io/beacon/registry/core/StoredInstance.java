package io.beacon.registry.core;

/**
 * One instance as a shared store keeps it: what the client reported, whether its lease is lapsed,
 * and the revision of the store at which it last changed.
 *
 * @param reported the instance with the status its client last reported
 * @param lapsed whether the lease is lapsed (the effective status is then DOWN)
 * @param writeSeq the highest write sequence of its client applied ({@link Registry#UNSEQUENCED}
 * when none was)
 * @param revision the store revision of the last change to this instance
 */
public record StoredInstance(Instance reported, boolean lapsed, long writeSeq, long revision) {

	/** The instance as readers see it: DOWN while the lease is lapsed. */
	public Instance effective() {
		if (!this.lapsed || this.reported.status() == InstanceStatus.DOWN) {
			return this.reported;
		}
		Instance r = this.reported;
		return new Instance(r.instanceId(), r.service(), r.host(), r.port(), r.secure(), InstanceStatus.DOWN, r.zone(),
				r.metadata(), r.leaseTtl(), r.registeredAt(), r.lastHeartbeatAt(), r.owner());
	}

}
