package io.beacon.registry.security;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.beacon.registry.core.Actor;

/**
 * Who made a request: the configured token it presented, or {@link #ANONYMOUS} when security is
 * off. As an {@link Actor} it owns the instances it registers and may change only those, unless it
 * is an admin.
 */
public final class Caller implements Actor {

	/** Everyone, with security off: every role, every service, owns nothing. */
	public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(Role.READ, Role.REGISTER, Role.ADMIN),
			ServicePatterns.ALL, Refusals.NONE, false);

	private final String name;

	private final Set<Role> roles;

	private final ServicePatterns services;

	private final Refusals refusals;

	private final boolean identified;

	Caller(String name, Set<Role> roles, ServicePatterns services, Refusals refusals, boolean identified) {
		this.name = name;
		this.roles = roles;
		this.services = services;
		this.refusals = refusals;
		this.identified = identified;
	}

	/** The token's name; {@code anonymous} with security off. */
	public String displayName() {
		return this.name;
	}

	/** The owner recorded for instances this caller registers: {@code null} with security off. */
	@Override
	public String name() {
		return this.identified ? this.name : null;
	}

	@Override
	public boolean mayChange(String owner) {
		if (!this.identified || this.roles.contains(Role.ADMIN) || this.name.equals(owner)) {
			return true;
		}
		this.refusals.refused(Refusal.OWNER);
		return false;
	}

	public boolean has(Role role) {
		return this.roles.contains(role);
	}

	/** The roles, in {@link Role} order, as written in settings. */
	public List<String> roleLabels() {
		return Arrays.stream(Role.values()).filter(this.roles::contains).map(Role::label).toList();
	}

	/** The services this caller may register, as configured. */
	public List<String> servicePatterns() {
		return this.services.patterns();
	}

	boolean mayRegister(String service) {
		return this.services.matches(service);
	}

	/** Whether this caller was identified by a token (security on). */
	public boolean identified() {
		return this.identified;
	}

}
