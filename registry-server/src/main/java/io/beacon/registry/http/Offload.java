package io.beacon.registry.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import io.beacon.registry.core.StoreUnavailableException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs endpoints that may block off the Reactor Netty event loop. With a store whose writes wait
 * for a remote store (etcd), a write blocks for one round trip or more; on an event loop it would
 * hold up every other request of the connections that loop serves (reads included), for as long as
 * the remote store takes to answer or time out. With a store held in memory there is nothing to
 * offload, and the endpoints run inline as before.
 * <p>
 * The workers are a bounded pool; when its queue is full, the request is answered with a 503
 * {@code store-unavailable} problem rather than queued without bound. {@link #close()} ends them.
 */
public final class Offload implements AutoCloseable {

	private static final Offload INLINE = new Offload(null);

	private final Scheduler workers;

	private Offload(Scheduler workers) {
		this.workers = workers;
	}

	/** Runs every endpoint on the event loop it was called on. */
	public static Offload inline() {
		return INLINE;
	}

	/**
	 * Runs offloaded endpoints on a bounded pool of worker threads.
	 * @param threads at most this many endpoints run at once
	 * @param queued at most this many wait for a thread; beyond that requests get a 503
	 */
	public static Offload toWorkers(int threads, int queued) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory("beacon-store-writes-");
		factory.setDaemon(true);
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queued), factory, new ThreadPoolExecutor.AbortPolicy());
		executor.allowCoreThreadTimeOut(true);
		return new Offload(Schedulers.fromExecutorService(executor, "beacon-store-writes"));
	}

	/** Whether endpoints run on workers rather than inline. */
	public boolean offloads() {
		return this.workers != null;
	}

	/**
	 * The endpoint as this offload runs it: unchanged inline; otherwise on a worker, and after its
	 * request body has been read it continues on a worker too.
	 */
	public Function<ApiRequest, ApiReply> handler(Function<ApiRequest, ApiReply> endpoint) {
		if (this.workers == null) {
			return endpoint;
		}
		Scheduler on = this.workers;
		return (request) -> {
			request.worker(on);
			Mono<ApiReply> reply = Mono.fromCallable(() -> endpoint.apply(request))
				.subscribeOn(on)
				.flatMap((answer) -> (answer instanceof ApiReply.Pending pending) ? pending.reply() : Mono.just(answer))
				.onErrorMap(RejectedExecutionException.class, (ex) -> new StoreUnavailableException(
						"too many writes are waiting for the store", ex));
			return new ApiReply.Pending(reply);
		};
	}

	/**
	 * As {@link #handler(Function)}, but a request for which {@code inline} holds runs on its event
	 * loop: for endpoints that block only sometimes (a heartbeat the store keeps in memory).
	 */
	public Function<ApiRequest, ApiReply> handler(Function<ApiRequest, ApiReply> endpoint, Predicate<ApiRequest> inline) {
		if (this.workers == null) {
			return endpoint;
		}
		Function<ApiRequest, ApiReply> offloaded = handler(endpoint);
		return (request) -> inline.test(request) ? endpoint.apply(request) : offloaded.apply(request);
	}

	@Override
	public void close() {
		if (this.workers != null) {
			this.workers.dispose();
		}
	}

}
