package io.beacon.registry.core;

/**
 * A sequenced write was refused because the instance already applied a later write of the same
 * client: it was sent before that one and arrived after it (its sender had given up on it). Nothing
 * was changed.
 */
public class StaleWriteException extends RuntimeException {

	private final String service;

	private final String instanceId;

	private final long writeSeq;

	private final long appliedSeq;

	public StaleWriteException(String service, String instanceId, long writeSeq, long appliedSeq) {
		super("Write sequence " + writeSeq + " to instance '" + instanceId + "' of service '" + service
				+ "' is older than the sequence already applied, " + appliedSeq + "; nothing was changed");
		this.service = service;
		this.instanceId = instanceId;
		this.writeSeq = writeSeq;
		this.appliedSeq = appliedSeq;
	}

	public String getService() {
		return this.service;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public long getWriteSeq() {
		return this.writeSeq;
	}

	public long getAppliedSeq() {
		return this.appliedSeq;
	}

}
