package io.beacon.client.registry;

import java.util.List;

import io.beacon.client.ServiceInstance;

/**
 * The instances of one service, any status, as of a registry index.
 *
 * @param service the service
 * @param index the registry index
 * @param instances its instances
 */
public record ServiceView(String service, long index, List<ServiceInstance> instances) {
}
