package io.beacon.registry.metrics;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Registers {@code jvm.compilation.time} and {@code process.cpu.time} in seconds, in place of
 * Micrometer's own, which count milliseconds and nanoseconds and are denied by
 * {@link PrometheusLintFilter}. It binds once the context is refreshed, after Boot has bound
 * Micrometer's binders: a meter id (name and tags) registered first is kept, and registering it again
 * is ignored with a warning, so ours must come second for the denied ones to leave the names free.
 */
final class CpuTimeInSeconds implements ApplicationListener<ContextRefreshedEvent> {

	private final ObjectProvider<MeterRegistry> meterRegistry;

	private final AtomicBoolean bound = new AtomicBoolean();

	CpuTimeInSeconds(ObjectProvider<MeterRegistry> meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		MeterRegistry meters = this.meterRegistry.getIfAvailable();
		if (meters != null && this.bound.compareAndSet(false, true)) {
			bindTo(meters);
		}
	}

	private static void bindTo(MeterRegistry meters) {
		CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
		if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
			FunctionCounter.builder("jvm.compilation.time", compilation, (bean) -> bean.getTotalCompilationTime() / 1e3)
				.description("Time spent in JIT compilation")
				.baseUnit("seconds")
				.tag("compiler", String.valueOf(compilation.getName()))
				.register(meters);
		}
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
			FunctionCounter.builder("process.cpu.time", hotspot, (bean) -> bean.getProcessCpuTime() / 1e9)
				.description("CPU time used by the registry process")
				.baseUnit("seconds")
				.register(meters);
		}
	}

}
