package io.beacon.client.registration;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order given, on a shared executor: a component that needs its
 * work serialized borrows one of the executor's threads at a time instead of owning a thread.
 * A task that throws does not stop the ones after it.
 */
final class SerialTasks implements Executor {

	private static final Logger logger = LoggerFactory.getLogger(SerialTasks.class);

	private final Executor executor;

	private final Queue<Runnable> queue = new ArrayDeque<>();

	/** Whether a drain is under way or handed to the executor. Guarded by {@code this}. */
	private boolean draining;

	SerialTasks(Executor executor) {
		this.executor = executor;
	}

	/**
	 * @throws RejectedExecutionException when the shared executor is shut down
	 */
	@Override
	public void execute(Runnable task) {
		synchronized (this) {
			this.queue.add(task);
			if (this.draining) {
				return;
			}
			this.draining = true;
		}
		try {
			this.executor.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			synchronized (this) {
				this.queue.clear();
				this.draining = false;
			}
			throw ex;
		}
	}

	private void drain() {
		while (true) {
			Runnable next;
			synchronized (this) {
				next = this.queue.poll();
				if (next == null) {
					this.draining = false;
					return;
				}
			}
			try {
				next.run();
			}
			catch (RuntimeException ex) {
				logger.error("A registration task failed", ex);
			}
		}
	}

}
