package io.beacon.registry.security;

import java.util.Locale;

/**
 * What a token may do on the API.
 */
public enum Role {

	/** Query services and instances, and watch changes. */
	READ,

	/** Register instances of the token's services, and heartbeat, change or remove the ones it registered. */
	REGISTER,

	/** Everything, including changing or removing any instance. */
	ADMIN;

	/** The role as it is written in settings and replies. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}
