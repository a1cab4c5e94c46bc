package io.beacon.sidecar.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app process the sidecar stands for, when it knows one: a command it starts itself, or the
 * process id of an app started elsewhere. After the drain it gets SIGTERM and time to exit; one the
 * sidecar started is killed when that time is up. Without either, the sidecar only registers and
 * checks an app it cannot signal.
 */
public final class AppProcess {

	private static final Logger logger = LoggerFactory.getLogger(AppProcess.class);

	private final List<String> command;

	private final Long pid;

	private final Map<String, String> environment;

	private Process started;

	private ProcessHandle handle;

	private final CompletableFuture<Integer> exited = new CompletableFuture<>();

	private volatile boolean stopping;

	/**
	 * @param command the command line to start, or an empty list
	 * @param pid the process id of an app started elsewhere, or {@code null}
	 * @param environment added to the started command's environment
	 */
	public AppProcess(List<String> command, Long pid, Map<String, String> environment) {
		this.command = List.copyOf(command);
		this.pid = pid;
		this.environment = Map.copyOf(environment);
	}

	/**
	 * Starts the command, or finds the process by its id.
	 * @throws IllegalStateException when the command cannot start or no such process runs
	 */
	public synchronized void start() {
		if (this.handle != null) {
			return;
		}
		if (!this.command.isEmpty()) {
			ProcessBuilder builder = new ProcessBuilder(this.command).inheritIO();
			builder.environment().putAll(this.environment);
			try {
				this.started = builder.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("beacon.sidecar.command " + this.command + " could not be started: "
						+ ex.getMessage(), ex);
			}
			this.handle = this.started.toHandle();
			logger.info("Started the app (pid {}): {}", this.handle.pid(), this.command);
			this.started.onExit().thenAccept((process) -> exited(process.exitValue()));
		}
		else if (this.pid != null) {
			Optional<ProcessHandle> found = ProcessHandle.of(this.pid);
			if (found.isEmpty() || !found.get().isAlive()) {
				throw new IllegalStateException("beacon.sidecar.app-pid: no process " + this.pid + " is running");
			}
			this.handle = found.get();
			this.handle.onExit().thenAccept((process) -> exited(0));
		}
	}

	private void exited(int code) {
		if (!this.stopping) {
			logger.warn("The app (pid {}) exited by itself with code {}", this.handle.pid(), code);
		}
		this.exited.complete(code);
	}

	/** Completes with the exit code when the app exits (0 for a process the sidecar did not start). */
	public CompletableFuture<Integer> exited() {
		return this.exited;
	}

	/** The app's process id, when known. */
	public synchronized Optional<Long> pid() {
		return Optional.ofNullable(this.handle).map(ProcessHandle::pid);
	}

	/**
	 * Sends SIGTERM and waits up to {@code timeout} for the app to exit; kills an app the sidecar
	 * started that is still running then.
	 */
	public void stop(Duration timeout) {
		ProcessHandle process;
		synchronized (this) {
			process = this.handle;
		}
		if (process == null || !process.isAlive()) {
			return;
		}
		this.stopping = true;
		logger.info("Sending SIGTERM to the app (pid {})", process.pid());
		if (!process.destroy()) {
			logger.warn("Could not send SIGTERM to the app (pid {})", process.pid());
			return;
		}
		try {
			process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			logger.info("The app (pid {}) exited", process.pid());
		}
		catch (java.util.concurrent.TimeoutException ex) {
			if (this.started != null) {
				logger.warn("The app (pid {}) did not exit within {} ms of SIGTERM: killing it", process.pid(),
						timeout.toMillis());
				process.destroyForcibly();
			}
			else {
				logger.warn("The app (pid {}) did not exit within {} ms of SIGTERM", process.pid(), timeout.toMillis());
			}
		}
		catch (java.util.concurrent.ExecutionException ex) {
			logger.warn("Could not wait for the app (pid {}) to exit: {}", process.pid(), ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	public boolean isManaged() {
		return !this.command.isEmpty() || this.pid != null;
	}

}
