package ai.dedaluslabs.spring.proxy;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * A time limit on a {@link Mono} that costs nothing when the answer is there at once: the timer
 * is armed only when the source has not answered by the time its subscription returns.
 *
 * <p>
 * Every request to the endpoint waits on its body and, for its place and its budget, on the
 * limit store: three limits, where Reactor's {@code timeout} would arm a timer on each (and, as
 * the limits are short, wake the timer thread each time to move its deadline forward), work out
 * a description of its source for the message, and serialise the signals. The memory store
 * always answers within its subscription, and then there is nothing a timer could cut short.
 *
 * <p>
 * The timer runs on {@link Schedulers#parallel()}, looked up at each subscription so that
 * virtual time in tests drives it.
 *
 * @param <T> the value type
 */
final class TimeLimit<T> extends Mono<T> {

	private final Mono<T> source;

	private final long limitNanos;

	private final @Nullable Scheduler timer;

	private final Supplier<? extends Throwable> expired;

	private TimeLimit(Mono<T> source, Duration limit, @Nullable Scheduler timer,
			Supplier<? extends Throwable> expired) {
		this.source = source;
		this.limitNanos = limit.toNanos();
		this.timer = timer;
		this.expired = expired;
	}

	/**
	 * Limit {@code source} to {@code limit}.
	 * @param <T> the value type
	 * @param source the answer to wait for
	 * @param limit the longest to wait
	 * @param expired the error signalled when the limit passes first (the source is cancelled)
	 * @return the limited answer
	 */
	static <T> Mono<T> of(Mono<T> source, Duration limit, Supplier<? extends Throwable> expired) {
		return new TimeLimit<>(source, limit, null, expired);
	}

	/** {@link #of(Mono, Duration, Supplier)} on a given scheduler (tests). */
	static <T> Mono<T> of(Mono<T> source, Duration limit, Scheduler timer, Supplier<? extends Throwable> expired) {
		return new TimeLimit<>(source, limit, timer, expired);
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		Limited<T> limited = new Limited<>(actual, this.expired);
		this.source.subscribe(limited);
		limited.arm((this.timer != null) ? this.timer : Schedulers.parallel(), this.limitNanos);
	}

	private static final class Limited<T> implements CoreSubscriber<T>, Subscription, Runnable {

		private static final AtomicIntegerFieldUpdater<Limited> DONE = AtomicIntegerFieldUpdater
			.newUpdater(Limited.class, "done");

		@SuppressWarnings("rawtypes")
		private static final AtomicReferenceFieldUpdater<Limited, Disposable> TIMER = AtomicReferenceFieldUpdater
			.newUpdater(Limited.class, Disposable.class, "timer");

		private static final Disposable ENDED = Disposables.disposed();

		private final CoreSubscriber<? super T> actual;

		private final Supplier<? extends Throwable> expired;

		private @Nullable Subscription upstream;

		private volatile int done;

		private volatile @Nullable Disposable timer;

		Limited(CoreSubscriber<? super T> actual, Supplier<? extends Throwable> expired) {
			this.actual = actual;
			this.expired = expired;
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
			}
		}

		@Override
		public void onNext(T value) {
			if (!finish()) {
				Operators.onNextDropped(value, currentContext());
				return;
			}
			this.actual.onNext(value);
			this.actual.onComplete();
		}

		@Override
		public void onError(Throwable error) {
			if (!finish()) {
				Operators.onErrorDropped(error, currentContext());
				return;
			}
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			if (finish()) {
				this.actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.request(n);
			}
		}

		@Override
		public void cancel() {
			if (finish()) {
				cancelUpstream();
			}
		}

		/** The limit passed first. */
		@Override
		public void run() {
			if (DONE.compareAndSet(this, 0, 1)) {
				TIMER.set(this, ENDED);
				cancelUpstream();
				this.actual.onError(this.expired.get());
			}
		}

		void arm(Scheduler scheduler, long limitNanos) {
			if (this.done != 0) {
				return;
			}
			Disposable task;
			try {
				task = scheduler.schedule(this, limitNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				if (finish()) {
					cancelUpstream();
					this.actual.onError(Operators.onRejectedExecution(ex, currentContext()));
				}
				return;
			}
			if (!TIMER.compareAndSet(this, null, task)) {
				task.dispose();
			}
		}

		/** Whether this signal is the one that ends it; the timer is stopped if so. */
		private boolean finish() {
			if (!DONE.compareAndSet(this, 0, 1)) {
				return false;
			}
			Disposable task = TIMER.getAndSet(this, ENDED);
			if (task != null) {
				task.dispose();
			}
			return true;
		}

		private void cancelUpstream() {
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.cancel();
			}
		}

	}

}
