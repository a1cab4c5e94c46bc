package io.beacon.client.web;

/**
 * A request to a service found no UP instance to go to.
 */
public class NoInstanceAvailableException extends RuntimeException {

	private final String service;

	public NoInstanceAvailableException(String service, String reason) {
		super("No instance of service '" + service + "' is available: " + reason);
		this.service = service;
	}

	public String getService() {
		return this.service;
	}

}
