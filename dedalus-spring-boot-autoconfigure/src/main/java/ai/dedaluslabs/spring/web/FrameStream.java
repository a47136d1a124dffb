package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * The frames of one response, in one operator: each element mapped to a frame (or skipped), a
 * heartbeat after every silence of the interval, an optional time limit, and the end frame or one
 * error frame. It replaces a {@code merge} of the data with a heartbeat sink, a
 * {@code takeUntilOther} for each of the heartbeats and the limit, a {@code concatWith}, an
 * {@code onErrorResume} and two peeks: fourteen more objects per open stream (about 1.3 KiB), and
 * six steps per chunk, one of them a queue.
 *
 * <p>
 * Heartbeats and the time limit come from the timer's thread and the data from the source's, so
 * every signal downstream goes through one drain ({@code wip}). A chunk arriving while nothing else
 * is being written, with demand, goes straight through; only a chunk that meets a heartbeat on its
 * way, or finds the demand used up by one, waits in a queue, made the first time that happens. A
 * heartbeat takes one of the demanded frames, and is dropped when none is demanded (the connection
 * is busy, so there is no silence to fill). Downstream requests are passed upstream as they come,
 * so the source can run ahead of the demand by at most the heartbeats written, and those chunks
 * wait in the queue.
 *
 * <p>
 * The mapping is this project's own code and runs without the thread-locals that {@code handle}
 * restores around every element when Micrometer's context propagation is on the classpath (every
 * Spring Boot application with Actuator): for each chunk those opened and closed a scope of the
 * request's observation.
 *
 * <p>
 * It can be subscribed once, and lets go of its source when it is: frameworks keep a handler's
 * return value until the response ends, and with it the caller's whole assembly (the request, and
 * whatever the caller's lambdas hold). A second subscription would send the request upstream again
 * (and be billed again); it fails instead.
 *
 * @param <T> the element type
 */
final class FrameStream<T> extends Flux<SseFrame> {

	private @Nullable Publisher<? extends T> source;

	private final Function<? super T, ? extends @Nullable SseFrame> toFrame;

	private final SseFrame.@Nullable Done done;

	private final long heartbeatNanos;

	private final long timeoutNanos;

	private final Scheduler timer;

	/**
	 * @param source the elements, subscribed once
	 * @param toFrame the frame of an element, or {@code null} to skip it; what it throws fails the frames
	 * @param done the frame after the last element; {@code null} to pass the source's end and errors
	 * on as they are (then failures are not written as error frames)
	 * @param heartbeatNanos the longest silence before a heartbeat
	 * @param timeoutNanos the longest the frames may last, or 0 for no limit
	 * @param timer the scheduler of the heartbeats and the limit
	 */
	FrameStream(Publisher<? extends T> source, Function<? super T, ? extends @Nullable SseFrame> toFrame,
			SseFrame.@Nullable Done done, long heartbeatNanos, long timeoutNanos, Scheduler timer) {
		this.source = source;
		this.toFrame = toFrame;
		this.done = done;
		this.heartbeatNanos = heartbeatNanos;
		this.timeoutNanos = timeoutNanos;
		this.timer = timer;
	}

	@Override
	public void subscribe(CoreSubscriber<? super SseFrame> actual) {
		Publisher<? extends T> current = this.source;
		this.source = null;
		if (current == null) {
			Operators.error(actual, new IllegalStateException("The frames of a forwarded stream are written to one "
					+ "response and can be subscribed once; call the forwarder again for another response (which "
					+ "sends the request upstream again)"));
			return;
		}
		current.subscribe(new Writer<>(actual, this));
	}

	private static final class Writer<T> implements CoreSubscriber<T>, Subscription {

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Writer> WIP = AtomicIntegerFieldUpdater.newUpdater(Writer.class,
				"wip");

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Writer> SOURCE_DONE = AtomicIntegerFieldUpdater
			.newUpdater(Writer.class, "sourceDone");

		@SuppressWarnings("rawtypes")
		private static final AtomicLongFieldUpdater<Writer> REQUESTED = AtomicLongFieldUpdater.newUpdater(Writer.class,
				"requested");

		private final CoreSubscriber<? super SseFrame> actual;

		private final Function<? super T, ? extends @Nullable SseFrame> toFrame;

		private final SseFrame.@Nullable Done done;

		private final long heartbeatNanos;

		private final Scheduler timer;

		private final long timeoutNanos;

		private @Nullable Subscription upstream;

		private volatile int wip;

		private volatile long requested;

		/** Frames that could not go straight through; made the first time one cannot. */
		private volatile @Nullable Queue<SseFrame> waiting;

		private volatile long lastFrame;

		private volatile boolean heartbeatDue;

		/** The last frame, or the error to pass on: set once, by the source's end, a failed mapping or the limit. */
		private volatile @Nullable Object end;

		/**
		 * 1 once the source has ended, failed in the mapping, timed out or been cancelled: nothing it
		 * sends afterwards is written. Set by compare-and-set, because the source's end and the time
		 * limit come from different threads and only one of them may choose the last frame.
		 */
		private volatile int sourceDone;

		private volatile boolean cancelled;

		/** The end has been delivered downstream. */
		private boolean finished;

		private volatile @Nullable Disposable heartbeat;

		private volatile @Nullable Disposable limit;

		Writer(CoreSubscriber<? super SseFrame> actual, FrameStream<T> parent) {
			this.actual = actual;
			this.toFrame = parent.toFrame;
			this.done = parent.done;
			this.heartbeatNanos = parent.heartbeatNanos;
			this.timer = parent.timer;
			this.timeoutNanos = parent.timeoutNanos;
			this.lastFrame = now();
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
				if (this.timeoutNanos > 0 && !this.cancelled) {
					Disposable task = UninterruptedTask.schedule(this.timer, this::timedOut, this.timeoutNanos);
					this.limit = task;
					if (this.cancelled) {
						task.dispose();
					}
				}
				scheduleHeartbeat(this.heartbeatNanos);
			}
		}

		@Override
		public void onNext(T element) {
			if (this.sourceDone != 0) {
				Operators.onDiscard(element, this.actual.currentContext());
				return;
			}
			SseFrame frame;
			try {
				frame = this.toFrame.apply(element);
			}
			catch (Throwable failure) {
				Exceptions.throwIfFatal(failure);
				if (finishSource()) {
					cancelUpstream();
					end(failure);
				}
				return;
			}
			if (frame == null) {
				requestUpstream(1);
				return;
			}
			this.lastFrame = now();
			// The common case: nothing else is being written, nothing waits, and a frame is demanded.
			if (this.wip == 0 && WIP.compareAndSet(this, 0, 1)) {
				Queue<SseFrame> queue = this.waiting;
				if ((queue == null || queue.isEmpty()) && this.requested > 0 && this.end == null) {
					this.actual.onNext(frame);
					produced();
					if (WIP.decrementAndGet(this) == 0) {
						return;
					}
				}
				else {
					queue().offer(frame);
				}
				drainLoop();
				return;
			}
			queue().offer(frame);
			drain();
		}

		@Override
		public void onError(Throwable error) {
			if (!finishSource()) {
				// Cancelled, timed out or failed in the mapping already: the source's own end after that.
				Operators.onErrorDropped(error, this.actual.currentContext());
				return;
			}
			end(error);
		}

		@Override
		public void onComplete() {
			if (finishSource()) {
				end((this.done != null) ? this.done : Complete.INSTANCE);
			}
		}

		private boolean finishSource() {
			return SOURCE_DONE.compareAndSet(this, 0, 1);
		}

		/** Called once, by whichever of the source's end, a failed mapping and the limit came first. */
		private void end(Object last) {
			this.end = (last instanceof Throwable error && this.done != null) ? SseFrames.errorFrame(error) : last;
			stopTimers();
			drain();
		}

		private void timedOut() {
			if (!finishSource()) {
				return;
			}
			cancelUpstream();
			end(new ForwardingTimeoutException(Duration.ofNanos(this.timeoutNanos)));
		}

		private void scheduleHeartbeat(long delayNanos) {
			if (this.end != null || this.cancelled) {
				return;
			}
			// Not interrupted by the end's dispose while it writes a heartbeat (see UninterruptedTask).
			Disposable task = UninterruptedTask.schedule(this.timer, this::checkSilence, delayNanos);
			this.heartbeat = task;
			if (this.end != null || this.cancelled) {
				task.dispose();
			}
		}

		/** On the timer's thread: a heartbeat if nothing was written for the interval, and the next check. */
		private void checkSilence() {
			long silent = now() - this.lastFrame;
			if (silent < this.heartbeatNanos) {
				scheduleHeartbeat(this.heartbeatNanos - silent);
				return;
			}
			this.heartbeatDue = true;
			drain();
			scheduleHeartbeat(this.heartbeatNanos);
		}

		@Override
		public void request(long n) {
			if (Operators.validate(n)) {
				Operators.addCap(REQUESTED, this, n);
				requestUpstream(n);
				drain();
			}
		}

		@Override
		public void cancel() {
			if (this.cancelled) {
				return;
			}
			this.cancelled = true;
			this.sourceDone = 1;
			stopTimers();
			cancelUpstream();
			if (WIP.getAndIncrement(this) == 0) {
				discardWaiting();
			}
		}

		private void drain() {
			if (WIP.getAndIncrement(this) == 0) {
				drainLoop();
			}
		}

		private void drainLoop() {
			int missed = 1;
			for (;;) {
				if (this.cancelled || this.finished) {
					discardWaiting();
					return;
				}
				// The end is read before the queue: the source queues its frames before it sets the end,
				// so an end seen here finds every frame sent before it in the queue read after it. Read
				// the other way round, frames queued while a heartbeat was written here (from the
				// timer's thread) were taken for none, and the end frame went out without them.
				Object last = this.end;
				Queue<SseFrame> queue = this.waiting;
				while (this.requested > 0 && queue != null && !queue.isEmpty()) {
					if (this.cancelled) {
						break;
					}
					this.actual.onNext(queue.poll());
					produced();
				}
				boolean drained = queue == null || queue.isEmpty();
				if (this.heartbeatDue) {
					this.heartbeatDue = false;
					// Only into a silence: not between waiting frames, and not without demand.
					if (drained && this.end == null && this.requested > 0 && !this.cancelled) {
						this.actual.onNext(SseFrame.HEARTBEAT);
						produced();
						this.lastFrame = now();
					}
				}
				if (last != null && drained && !this.cancelled) {
					if (last instanceof SseFrame frame) {
						if (this.requested > 0) {
							this.finished = true;
							this.actual.onNext(frame);
							this.actual.onComplete();
						}
					}
					else {
						this.finished = true;
						if (last instanceof Throwable error) {
							this.actual.onError(error);
						}
						else {
							this.actual.onComplete();
						}
					}
				}
				missed = WIP.addAndGet(this, -missed);
				if (missed == 0) {
					return;
				}
			}
		}

		private void produced() {
			long current = this.requested;
			if (current != Long.MAX_VALUE) {
				REQUESTED.decrementAndGet(this);
			}
		}

		private Queue<SseFrame> queue() {
			Queue<SseFrame> queue = this.waiting;
			if (queue == null) {
				// Only the source's thread makes it: it is the one producer.
				queue = Queues.<SseFrame>unbounded(Queues.XS_BUFFER_SIZE).get();
				this.waiting = queue;
			}
			return queue;
		}

		private void discardWaiting() {
			Queue<SseFrame> queue = this.waiting;
			if (queue != null) {
				queue.clear();
			}
		}

		private void stopTimers() {
			Disposable task = this.heartbeat;
			if (task != null) {
				task.dispose();
			}
			task = this.limit;
			if (task != null) {
				task.dispose();
			}
		}

		private void requestUpstream(long n) {
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.request(n);
			}
		}

		private void cancelUpstream() {
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.cancel();
			}
		}

		private long now() {
			return this.timer.now(TimeUnit.NANOSECONDS);
		}

	}

	/** The source's end, passed on as it is when there is no end frame. */
	private enum Complete {

		INSTANCE

	}

}
