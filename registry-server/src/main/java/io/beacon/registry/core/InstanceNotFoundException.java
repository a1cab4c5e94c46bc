package io.beacon.registry.core;

/**
 * The registry holds no instance with this id in this service (never registered, deregistered, or
 * removed after its lease lapsed). A client that gets this for a heartbeat registers again.
 */
public class InstanceNotFoundException extends RuntimeException {

	private final String service;

	private final String instanceId;

	public InstanceNotFoundException(String service, String instanceId) {
		super("No instance '" + instanceId + "' is registered in service '" + service + "'");
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
