package io.beacon.registry.core;

import java.util.List;

/**
 * The instances of one service at a registry index.
 *
 * @param service the service name
 * @param index the registry index the view is at least as new as
 * @param instances the instances, ordered by id
 */
public record ServiceView(String service, long index, List<Instance> instances) {
}
