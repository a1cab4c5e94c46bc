/*
 * The page's copy of the registry, kept by the watch stream: a snapshot replaces it, each change
 * event updates it, in index order.
 */

export const STATUSES = ['STARTING', 'UP', 'DRAINING', 'DOWN'];

const FLASH_MS = 2000;

export class RegistryModel {

  constructor() {
    this.clear();
    /** service/instanceId -> time its flash ends (its status changed). */
    this.flashUntil = new Map();
  }

  clear() {
    /** service -> Map(instanceId -> instance) */
    this.services = new Map();
    /** The last registry index applied: sent back as Last-Event-ID. */
    this.index = null;
    this.registryId = null;
  }

  /**
   * Applies one event of the stream.
   * @returns the change to log, or null for a snapshot ({cause: 'registry_restarted'} when the
   * snapshot comes from a new registry process)
   */
  apply(type, data, id) {
    let change = null;
    if (type === 'snapshot') {
      if (this.registryId !== null && this.registryId !== data.registryId) {
        change = { cause: 'registry_restarted', service: '', instance: null };
      }
      this.services = new Map(Object.entries(data.services).map(([name, instances]) =>
        [name, new Map(instances.map((instance) => [instance.instanceId, instance]))]));
      this.registryId = data.registryId;
    } else {
      this.applyChange(type, data);
      change = data;
    }
    this.index = id ? Number(id) : data.index;
    return change;
  }

  applyChange(type, change) {
    const { service, instance } = change;
    let instances = this.services.get(service);
    if (type === 'deregistered') {
      if (instances) {
        instances.delete(instance.instanceId);
        if (instances.size === 0) {
          this.services.delete(service);
        }
      }
      return;
    }
    if (!instances) {
      instances = new Map();
      this.services.set(service, instances);
    }
    const before = instances.get(instance.instanceId);
    instances.set(instance.instanceId, instance);
    if (!before || before.status !== instance.status) {
      this.flashUntil.set(`${service}/${instance.instanceId}`, Date.now() + FLASH_MS);
    }
  }

  flashing(service, instanceId) {
    return (this.flashUntil.get(`${service}/${instanceId}`) || 0) > Date.now();
  }

  names() {
    return [...this.services.keys()].sort();
  }

  instances(service) {
    return [...(this.services.get(service) || new Map()).values()];
  }

  counts(service) {
    const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]));
    for (const instance of this.instances(service)) {
      counts[instance.status] = (counts[instance.status] || 0) + 1;
    }
    return counts;
  }

  /** Takes newer last-heartbeat times from a REST read; the status stays the stream's. */
  updateHeartbeats(service, fresh) {
    const known = this.services.get(service);
    const updated = [];
    for (const instance of fresh) {
      const mine = known && known.get(instance.instanceId);
      if (mine && Date.parse(instance.lastHeartbeatAt) > Date.parse(mine.lastHeartbeatAt)) {
        mine.lastHeartbeatAt = instance.lastHeartbeatAt;
        updated.push(mine);
      }
    }
    return updated;
  }

}
