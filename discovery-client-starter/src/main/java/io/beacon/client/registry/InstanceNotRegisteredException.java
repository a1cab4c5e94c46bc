package io.beacon.client.registry;

/**
 * The registry does not know this instance (it restarted, or removed the instance after its lease
 * lapsed): the client should register again.
 */
public class InstanceNotRegisteredException extends RuntimeException {

	public InstanceNotRegisteredException(String service, String instanceId) {
		super("The registry does not know instance '" + instanceId + "' of service '" + service + "'");
	}

}
