package io.beacon.registry.metrics;

import java.time.Clock;

import io.beacon.registry.core.Registry;
import io.beacon.registry.core.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.system.SystemMetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPU-time counters in seconds replace Micrometer's own without a clash: Boot's binders for
 * the same names run as well, are denied, and no duplicate registration is reported.
 */
@ExtendWith(OutputCaptureExtension.class)
class CpuTimeInSecondsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, JvmMetricsAutoConfiguration.class,
				SystemMetricsAutoConfiguration.class))
		.withBean(Registry.class, () -> new Registry(Clock.systemUTC(), Ticker.system(), 100))
		.withUserConfiguration(MetricsConfiguration.class);

	@Test
	void countersAreInSecondsAndRegisteredOnce(CapturedOutput output) {
		this.runner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			FunctionCounter compilation = meters.get("jvm.compilation.time").functionCounter();
			FunctionCounter cpu = meters.get("process.cpu.time").functionCounter();
			assertThat(compilation.getId().getBaseUnit()).isEqualTo("seconds");
			assertThat(cpu.getId().getBaseUnit()).isEqualTo("seconds");
			assertThat(meters.find("jvm.compilation.time").functionCounters()).hasSize(1);
			assertThat(cpu.count()).isPositive().isLessThan(3_600);
		});
		assertThat(output).doesNotContain("already registered");
	}

}
