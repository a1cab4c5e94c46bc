package io.beacon.registry.security;

import java.util.List;
import java.util.Set;

/**
 * One configured token, as written in the settings.
 *
 * @param name the token's name: shown as the owner of the instances it registers, never secret
 * @param sha256 the hex SHA-256 of the token (the token itself is never configured)
 * @param roles what the token may do
 * @param services the services it may register (names or globs), all when empty
 */
public record TokenSpec(String name, String sha256, Set<Role> roles, List<String> services) {
}
