package io.beacon.registry.schedule;

import java.time.Duration;

/**
 * Work the registry process does at a fixed interval, on the {@link RegistryScheduler}: declare one
 * as a bean and the scheduler runs it from start to stop.
 *
 * @param name what the task does, for logs
 * @param interval the delay between the end of one run and the start of the next
 * @param action the work; it must not block for long, as every task shares one thread
 */
public record PeriodicTask(String name, Duration interval, Runnable action) {

}
