package io.beacon.registry.schedule;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The process's scheduler, running every {@link PeriodicTask} bean.
 */
@Configuration(proxyBeanMethods = false)
public class ScheduleConfiguration {

	@Bean
	RegistryScheduler registryScheduler(ObjectProvider<PeriodicTask> tasks) {
		return new RegistryScheduler(tasks.orderedStream().toList());
	}

}
