package io.beacon.client.registry;

/**
 * The registry refused this application's token: 401 (no token, or one it does not know) or 403
 * (a valid token without the role, service or ownership the call needs). The message says which,
 * and never contains the token.
 */
public class RegistryAccessDeniedException extends RegistryRejectedException {

	private final String missing;

	public RegistryAccessDeniedException(int status, String detail, String missing) {
		super(status, explain(status, detail, missing));
		this.missing = missing;
	}

	/** What the token lacks, as the registry named it ({@code role register}), or {@code null}. */
	public String getMissing() {
		return this.missing;
	}

	private static String explain(int status, String detail, String missing) {
		if (status == 401) {
			return detail + " - set beacon.client.token (or define a BeaconCredentials bean) to a token this "
					+ "registry knows";
		}
		return detail + ((missing != null) ? " - the token is missing: " + missing : "");
	}

}
