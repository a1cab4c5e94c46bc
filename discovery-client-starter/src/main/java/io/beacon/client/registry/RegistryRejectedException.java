package io.beacon.client.registry;

/**
 * The registry refused a request as invalid (a 4xx other than 404): retrying the same request will
 * not help. The message carries the registry's explanation.
 */
public class RegistryRejectedException extends RuntimeException {

	private final int status;

	public RegistryRejectedException(int status, String detail) {
		super("The registry rejected the request (HTTP " + status + "): " + detail);
		this.status = status;
	}

	public int getStatus() {
		return this.status;
	}

}
