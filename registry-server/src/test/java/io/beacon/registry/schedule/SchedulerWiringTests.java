package io.beacon.registry.schedule;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry process has one scheduler, running the lease sweep and the instance-count refresh;
 * no other bean of the server starts a thread of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SchedulerWiringTests {

	@Autowired
	ApplicationContext context;

	@Test
	void oneRunningSchedulerRunsTheLeaseSweepAndTheInstanceCountRefresh() {
		RegistryScheduler scheduler = this.context.getBean(RegistryScheduler.class);
		assertThat(scheduler.isRunning()).isTrue();
		assertThat(scheduler.tasks()).extracting(PeriodicTask::name)
			.containsExactlyInAnyOrder("lease sweep", "instance counts");
		assertThat(this.context.getBeansOfType(SmartLifecycle.class).values())
			.filteredOn((bean) -> bean.getClass().getPackageName().startsWith("io.beacon.registry"))
			.containsExactly(scheduler);
	}

}
