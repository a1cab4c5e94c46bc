package io.beacon.sidecar.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Real processes: the sidecar starts one, or finds one by its id, and stops it with SIGTERM.
 */
class AppProcessTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@Test
	void startedCommandGetsTheSidecarsEnvironmentAndStopsOnSigterm(@TempDir Path dir) throws Exception {
		Path seen = dir.resolve("env");
		AppProcess app = new AppProcess(
				List.of("sh", "-c", "echo \"$BEACON_PROXY_URL\" > " + seen + "; exec sleep 60"), null,
				Map.of("BEACON_PROXY_URL", "http://127.0.0.1:15001"));
		app.start();
		await().atMost(DEADLINE).until(() -> Files.exists(seen) && Files.readString(seen).endsWith("\n"));
		assertThat(Files.readString(seen)).isEqualTo("http://127.0.0.1:15001\n");

		app.stop(DEADLINE);
		// sleep dies of SIGTERM: 128 + 15
		assertThat(app.exited().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(143);
	}

	@Test
	void startedCommandThatIgnoresSigtermIsKilledAfterTheStopTimeout(@TempDir Path dir) throws Exception {
		Path trapped = dir.resolve("trapped");
		AppProcess app = new AppProcess(
				List.of("sh", "-c", "trap '' TERM; touch " + trapped + "; while true; do sleep 1; done"), null, Map.of());
		app.start();
		await().atMost(DEADLINE).until(() -> Files.exists(trapped));
		long pid = app.pid().orElseThrow();
		app.stop(Duration.ofMillis(300));
		assertThat(app.exited().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(137);
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
	}

	@Test
	void appExitingByItselfEndsWithItsExitCode() throws Exception {
		AppProcess app = new AppProcess(List.of("sh", "-c", "exit 3"), null, Map.of());
		app.start();
		assertThat(app.exited().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
	}

	@Test
	void appStartedElsewhereGetsSigtermByItsPid() throws Exception {
		Process elsewhere = new ProcessBuilder("sleep", "60").start();
		try {
			AppProcess app = new AppProcess(List.of(), elsewhere.pid(), Map.of());
			app.start();
			app.stop(DEADLINE);
			assertThat(elsewhere.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(elsewhere.exitValue()).isEqualTo(143);
		}
		finally {
			elsewhere.destroyForcibly();
		}
	}

	@Test
	void unknownPidStopsStartupNamingIt() throws IOException {
		Process gone = new ProcessBuilder("true").start();
		long pid = gone.pid();
		await().atMost(DEADLINE).until(() -> !gone.isAlive());
		AppProcess app = new AppProcess(List.of(), pid, Map.of());
		assertThatIllegalStateException().isThrownBy(app::start)
			.withMessage("beacon.sidecar.app-pid: no process " + pid + " is running");
	}

	@Test
	void commandThatCannotStartStopsStartupNamingIt() {
		AppProcess app = new AppProcess(List.of("/nonexistent/app-binary"), null, Map.of());
		assertThat(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, app::start).getMessage())
			.startsWith("beacon.sidecar.command [/nonexistent/app-binary] could not be started");
	}

	@Test
	void withoutCommandOrPidThereIsNothingToStop() {
		AppProcess app = new AppProcess(List.of(), null, Map.of());
		app.start();
		app.stop(DEADLINE);
		assertThat(app.isManaged()).isFalse();
		assertThat(app.exited()).isNotDone();
	}

}
