package ai.dedaluslabs.client.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Fails a body that stays silent for longer than a limit. Unlike {@code Flux.timeout}, which
 * schedules and cancels a timer task for every element, the body only records the time of its
 * latest piece, and one timer per idle period checks it: the per-chunk path stays free of timer
 * work. One operator, not a {@code takeUntilOther} race: that serializes every element against the
 * timer with two locks for as long as the body lasts, and costs five more objects per stream. Time
 * comes from the scheduler's clock, so virtual time drives it in tests.
 *
 * <p>
 * An element that arrives after the timer failed the body or downstream cancelled it (the body's
 * thread can be past its own cancel check when that happens) goes to the {@code dropped}
 * callback: a network buffer must be released there, since WebClient's body has no discard hook
 * to do it.
 */
final class IdleWatchdog {

	private IdleWatchdog() {
	}

	static <T> Flux<T> watch(Flux<T> body, Duration limit, Scheduler scheduler, Supplier<Throwable> failure,
			Consumer<? super T> dropped) {
		long limitNanos = limit.toNanos();
		return OperatorFlux.of(body, (actual) -> new Watch<T>(actual, limitNanos, scheduler, failure, dropped));
	}

	/** One body's latest activity, and the check that fails it after a silence. */
	private static final class Watch<T> extends OperatorSubscriber<T, T> implements Runnable {

		private static final int QUIET = 0;

		private static final int PASSING = 1;

		private static final int TERMINATED = 2;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Watch> STATE = AtomicIntegerFieldUpdater.newUpdater(Watch.class,
				"state");

		/** Whether an element is on its way downstream: the timer and the body's signals race on it. */
		private volatile int state;

		private volatile long lastActivity;

		private volatile @Nullable Disposable pending;

		private final long limitNanos;

		private final Scheduler scheduler;

		private final Supplier<Throwable> failure;

		private final Consumer<? super T> dropped;

		Watch(CoreSubscriber<? super T> actual, long limitNanos, Scheduler scheduler, Supplier<Throwable> failure,
				Consumer<? super T> dropped) {
			super(actual);
			this.limitNanos = limitNanos;
			this.scheduler = scheduler;
			this.failure = failure;
			this.dropped = dropped;
			this.lastActivity = now();
		}

		@Override
		void subscribed() {
			schedule(this.limitNanos);
		}

		private void schedule(long delayNanos) {
			Disposable task = this.scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
			this.pending = task;
			// A cancel or an end that came meanwhile disposed the task before this one.
			if (this.state == TERMINATED) {
				task.dispose();
			}
		}

		/** The check, on the timer's thread. */
		@Override
		public void run() {
			long silent = now() - this.lastActivity;
			if (silent < this.limitNanos) {
				schedule(this.limitNanos - silent);
			}
			else if (STATE.compareAndSet(this, QUIET, TERMINATED)) {
				this.pending = null;
				cancelUpstream();
				this.actual.onError(this.failure.get());
			}
			else if (this.state == PASSING) {
				// An element is passing at this very moment: the body is not silent.
				schedule(this.limitNanos);
			}
		}

		@Override
		public void onNext(T element) {
			this.lastActivity = now();
			if (this.state == PASSING) {
				// Delivered from within the element before it (a request made there, answered at once).
				this.actual.onNext(element);
				return;
			}
			if (!STATE.compareAndSet(this, QUIET, PASSING)) {
				// The timer failed the body, or downstream cancelled it, a moment ago.
				this.dropped.accept(element);
				return;
			}
			this.actual.onNext(element);
			// Unless a cancel or an end came from within the element and set it for good.
			STATE.compareAndSet(this, PASSING, QUIET);
		}

		@Override
		public void onError(Throwable error) {
			if (terminate()) {
				this.actual.onError(error);
			}
			// Otherwise the timer failed the body or downstream cancelled it, and this is the
			// cancelled connection's own end: nobody is listening.
		}

		@Override
		public void onComplete() {
			if (terminate()) {
				this.actual.onComplete();
			}
		}

		@Override
		public void cancel() {
			this.state = TERMINATED;
			stopTimer();
			cancelUpstream();
		}

		/** Whether the body's own end is the one delivered: the timer may have failed it first. */
		private boolean terminate() {
			for (;;) {
				int current = this.state;
				if (current == TERMINATED) {
					return false;
				}
				// PASSING only when the end comes from within an element; the timer never ends the body then.
				if (STATE.compareAndSet(this, current, TERMINATED)) {
					stopTimer();
					return true;
				}
			}
		}

		private void stopTimer() {
			Disposable task = this.pending;
			if (task != null) {
				task.dispose();
				this.pending = null;
			}
		}

		private long now() {
			return this.scheduler.now(TimeUnit.NANOSECONDS);
		}

	}

}
