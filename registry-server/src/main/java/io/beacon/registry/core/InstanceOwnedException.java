package io.beacon.registry.core;

/**
 * A change to an instance was refused because another caller owns it. Nothing was changed.
 */
public class InstanceOwnedException extends RuntimeException {

	private final String service;

	private final String instanceId;

	public InstanceOwnedException(String service, String instanceId) {
		super("Instance '" + instanceId + "' of service '" + service
				+ "' was registered by another token; only that token or an admin may change it");
		this.service = service;
		this.instanceId = instanceId;
	}

	public String getService() {
		return this.service;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

}
