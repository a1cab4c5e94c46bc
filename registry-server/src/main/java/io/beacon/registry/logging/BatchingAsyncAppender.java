package io.beacon.registry.logging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * Writes log events on a background thread, like logback's {@code AsyncAppender}, but lets events
 * gather for {@link #setLingerMillis a few milliseconds} before writing them in one go.
 * <p>
 * The registry logs one line per registration. logback's {@code AsyncAppender} wakes its writer
 * for nearly every line, and on a one-core server each wake-up preempts the event loop twice
 * (there and back); lingering makes that one wake-up per batch. Like the {@code AsyncAppender}
 * configured before it, this appender never drops an event: when the queue is full, the logging
 * thread waits. Events still queued when the appender stops are written before it returns.
 */
public class BatchingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
		implements AppenderAttachable<ILoggingEvent> {

	private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();

	private int queueSize = 8192;

	private int lingerMillis = 10;

	private int maxFlushTimeMillis = 1000;

	private BlockingQueue<ILoggingEvent> queue;

	private Thread writer;

	/** How many events may wait; a logging thread blocks while the queue is full. */
	public void setQueueSize(int queueSize) {
		this.queueSize = queueSize;
	}

	/** How long the writer waits after the first event of a batch before writing it. */
	public void setLingerMillis(int lingerMillis) {
		this.lingerMillis = lingerMillis;
	}

	/** How long {@link #stop()} waits for the writer to write what is queued. */
	public void setMaxFlushTimeMillis(int maxFlushTimeMillis) {
		this.maxFlushTimeMillis = maxFlushTimeMillis;
	}

	@Override
	public void start() {
		if (isStarted()) {
			return;
		}
		if (this.queueSize < 1) {
			addError("queueSize must be at least 1, got " + this.queueSize);
			return;
		}
		if (!this.appenders.iteratorForAppenders().hasNext()) {
			addError("No appender to write to was configured for [" + getName() + "]");
			return;
		}
		this.queue = new ArrayBlockingQueue<>(this.queueSize);
		// The appender's own lifecycle (logback's start/stop) owns this thread, as for AsyncAppender.
		this.writer = new Thread(this::writeBatches, "beacon-log-writer");
		this.writer.setDaemon(true);
		super.start();
		this.writer.start();
	}

	@Override
	protected void append(ILoggingEvent event) {
		// Fix what would otherwise be read later on the writer thread (message, thread name, MDC).
		event.prepareForDeferredProcessing();
		boolean interrupted = false;
		try {
			while (true) {
				try {
					this.queue.put(event);
					return;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void writeBatches() {
		List<ILoggingEvent> batch = new ArrayList<>();
		long lingerNanos = TimeUnit.MILLISECONDS.toNanos(this.lingerMillis);
		while (isStarted()) {
			try {
				batch.add(this.queue.take());
			}
			catch (InterruptedException ex) {
				break;
			}
			if (lingerNanos > 0 && this.queue.size() < this.queueSize / 2) {
				LockSupport.parkNanos(this, lingerNanos);
			}
			this.queue.drainTo(batch);
			write(batch);
		}
		this.queue.drainTo(batch);
		write(batch);
	}

	private void write(List<ILoggingEvent> batch) {
		for (ILoggingEvent event : batch) {
			this.appenders.appendLoopOnAppenders(event);
		}
		batch.clear();
	}

	@Override
	public void stop() {
		if (!isStarted()) {
			return;
		}
		super.stop();
		this.writer.interrupt();
		try {
			this.writer.join(this.maxFlushTimeMillis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.writer.isAlive()) {
			addWarn("Log writer still busy after " + this.maxFlushTimeMillis + " ms; "
					+ this.queue.size() + " queued events may be lost");
		}
		this.appenders.detachAndStopAllAppenders();
	}

	@Override
	public void addAppender(Appender<ILoggingEvent> appender) {
		this.appenders.addAppender(appender);
	}

	@Override
	public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
		return this.appenders.iteratorForAppenders();
	}

	@Override
	public Appender<ILoggingEvent> getAppender(String name) {
		return this.appenders.getAppender(name);
	}

	@Override
	public boolean isAttached(Appender<ILoggingEvent> appender) {
		return this.appenders.isAttached(appender);
	}

	@Override
	public void detachAndStopAllAppenders() {
		this.appenders.detachAndStopAllAppenders();
	}

	@Override
	public boolean detachAppender(Appender<ILoggingEvent> appender) {
		return this.appenders.detachAppender(appender);
	}

	@Override
	public boolean detachAppender(String name) {
		return this.appenders.detachAppender(name);
	}

}
