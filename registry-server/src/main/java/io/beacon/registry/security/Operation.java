package io.beacon.registry.security;

/**
 * What a request asks to do, which decides the role it needs.
 */
public enum Operation {

	/** Read services and instances, or watch: needs {@link Role#READ} (or admin). */
	READ,

	/** Register, heartbeat, change the status of or deregister an instance of a service: needs
	 * {@link Role#REGISTER} for that service (or admin); ownership is checked by the registry. */
	WRITE,

	/** Ask who the token is: any valid token. */
	IDENTIFY,

	/** Administer the server (actuator): needs {@link Role#ADMIN}. */
	ADMIN

}
