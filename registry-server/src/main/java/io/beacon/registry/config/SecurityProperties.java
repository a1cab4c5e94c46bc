package io.beacon.registry.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.beacon.registry.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may use the registry, under {@code beacon.registry.security}. Token hashes are checked by
 * the token store, not by bean validation, so that a bad value is never echoed into a log.
 */
@ConfigurationProperties("beacon.registry.security")
@Validated
public class SecurityProperties {

	/**
	 * Whether every /v1 request needs an {@code Authorization: Bearer <token>} header and actuator
	 * endpoints other than the open ones need an admin token. Off by default: the API is then open.
	 */
	private boolean enabled;

	/**
	 * The tokens the registry accepts: each with a name, the hex SHA-256 of the token, roles and
	 * services.
	 */
	@Valid
	private List<Token> tokens = new ArrayList<>();

	/**
	 * Actuator endpoints (by id) reachable without a token when security is on; every other one
	 * needs an admin token.
	 */
	@NotNull
	private Set<String> openActuatorEndpoints = new LinkedHashSet<>(List.of("health", "prometheus"));

	/**
	 * How many bad tokens one address may send per {@code bad-token-window} before its bad tokens
	 * are answered with 429 (its good tokens still pass).
	 */
	@Min(1)
	@Max(1_000_000)
	private int badTokenLimit = 20;

	/**
	 * The window bad tokens are counted in, per address.
	 */
	@NotNull
	@DurationMin(seconds = 1)
	@DurationMax(hours = 24)
	private Duration badTokenWindow = Duration.ofMinutes(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<Token> getTokens() {
		return this.tokens;
	}

	public void setTokens(List<Token> tokens) {
		this.tokens = tokens;
	}

	public Set<String> getOpenActuatorEndpoints() {
		return this.openActuatorEndpoints;
	}

	public void setOpenActuatorEndpoints(Set<String> openActuatorEndpoints) {
		this.openActuatorEndpoints = openActuatorEndpoints;
	}

	public int getBadTokenLimit() {
		return this.badTokenLimit;
	}

	public void setBadTokenLimit(int badTokenLimit) {
		this.badTokenLimit = badTokenLimit;
	}

	public Duration getBadTokenWindow() {
		return this.badTokenWindow;
	}

	public void setBadTokenWindow(Duration badTokenWindow) {
		this.badTokenWindow = badTokenWindow;
	}

	/**
	 * One accepted token.
	 */
	public static class Token {

		/**
		 * The token's name: kept as the owner of the instances it registers and shown in them.
		 */
		private String name;

		/**
		 * The hex SHA-256 of the token ({@code java -jar registry-server-exec.jar token --name x}
		 * makes a token and prints it).
		 */
		private String sha256;

		/**
		 * What the token may do: any of read, register, admin.
		 */
		private Set<Role> roles = new LinkedHashSet<>();

		/**
		 * The services the token may register, by name or glob ({@code payment-*}); all when empty.
		 */
		private List<String> services = new ArrayList<>(List.of("*"));

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getSha256() {
			return this.sha256;
		}

		public void setSha256(String sha256) {
			this.sha256 = sha256;
		}

		public Set<Role> getRoles() {
			return this.roles;
		}

		public void setRoles(Set<Role> roles) {
			this.roles = roles;
		}

		public List<String> getServices() {
			return this.services;
		}

		public void setServices(List<String> services) {
			this.services = services;
		}

		@Override
		public String toString() {
			// Never the hash: this object may end up in a binding error message.
			return "Token[" + this.name + "]";
		}

	}

}
