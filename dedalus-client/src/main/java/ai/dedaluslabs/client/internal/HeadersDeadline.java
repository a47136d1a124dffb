package ai.dedaluslabs.client.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * One attempt's guard: it fails the attempt when its response headers do not arrive within the
 * response timeout, and closes the attempt's connection when the attempt ends early (an error or a
 * cancel, in any phase; see {@link ConnectionHandle}), which it puts in the attempt's context. One
 * operator instead of a timer race, two peeks and a context write on every element. Unlike
 * {@code takeUntilOther}, which serializes every element of the body against the timer for as
 * long as the body lasts, the timer here only races the headers: once they have arrived
 * ({@link #arrived()}) the timer is gone and each chunk passes straight through. The only signals
 * that can meet the timer's are the attempt's own end, before any element, and one flag decides
 * which is delivered.
 */
final class HeadersDeadline {

	private static final int WAITING = 0;

	private static final int ARRIVED = 1;

	private static final int EXPIRED = 2;

	private final AtomicInteger state = new AtomicInteger(WAITING);

	private final long limitNanos;

	private final Scheduler timer;

	private final Supplier<Throwable> failure;

	private volatile @Nullable Disposable task;

	/**
	 * Create the deadline of one attempt.
	 * @param limit how long the headers may take
	 * @param timer the scheduler that times it (virtual time in tests)
	 * @param failure the error when the time is up
	 */
	HeadersDeadline(Duration limit, Scheduler timer, Supplier<Throwable> failure) {
		this.limitNanos = limit.toNanos();
		this.timer = timer;
		this.failure = failure;
	}

	/**
	 * The headers arrived: the deadline no longer applies.
	 * @return {@code false} when the time was already up, and the attempt has failed
	 */
	boolean arrived() {
		if (this.state.compareAndSet(WAITING, ARRIVED)) {
			Disposable pending = this.task;
			if (pending != null) {
				pending.dispose();
				// Not kept for the rest of a stream that may last minutes.
				this.task = null;
			}
			return true;
		}
		return this.state.get() == ARRIVED;
	}

	/**
	 * The attempt, failed when its headers are late, its connection closed when it ends early.
	 * @param <T> the element type
	 * @param attempt the attempt; subscribed once
	 * @param connection the attempt's connection
	 * @return the guarded attempt
	 */
	<T> Flux<T> apply(Flux<T> attempt, ConnectionHandle connection) {
		return OperatorFlux.of(attempt, (actual) -> new Guard<T>(actual, connection));
	}

	private final class Guard<T> extends OperatorSubscriber<T, T> {

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Guard> TERMINATED = AtomicIntegerFieldUpdater
			.newUpdater(Guard.class, "terminated");

		private final ConnectionHandle connection;

		private final Context context;

		// A field, not an AtomicBoolean: every chunk reads it, and another object per chunk is another
		// likely cache miss with thousands of open streams.
		private volatile int terminated;

		Guard(CoreSubscriber<? super T> actual, ConnectionHandle connection) {
			super(actual);
			this.connection = connection;
			this.context = connection.addTo(actual.currentContext());
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		void subscribed() {
			Disposable scheduled = HeadersDeadline.this.timer.schedule(this::expire, HeadersDeadline.this.limitNanos,
					TimeUnit.NANOSECONDS);
			HeadersDeadline.this.task = scheduled;
			if (HeadersDeadline.this.state.get() != WAITING) {
				scheduled.dispose();
				HeadersDeadline.this.task = null;
			}
		}

		private void expire() {
			if (HeadersDeadline.this.state.compareAndSet(WAITING, EXPIRED) && terminate()) {
				this.connection.close();
				cancelUpstream();
				this.actual.onError(HeadersDeadline.this.failure.get());
			}
		}

		@Override
		public void onNext(T element) {
			// Elements follow the headers, so only an attempt that lost the race reaches this check.
			if (this.terminated != 0) {
				Operators.onDiscard(element, this.actual.currentContext());
				return;
			}
			this.actual.onNext(element);
		}

		@Override
		public void onError(Throwable error) {
			// Closed whatever the race: after an error WebClient would drain the body, which may never end.
			this.connection.close();
			if (terminate()) {
				stopTimer();
				this.actual.onError(error);
			}
			// Otherwise the attempt was cancelled or timed out, and this is the closed connection's own
			// failure (or a lost race): expected, and nobody is listening.
		}

		@Override
		public void onComplete() {
			if (terminate()) {
				stopTimer();
				this.actual.onComplete();
			}
		}

		@Override
		public void cancel() {
			// First, so that closing the connection, which fails the body at once, signals nothing
			// downstream: a cancelled attempt ends silently.
			this.terminated = 1;
			stopTimer();
			this.connection.close();
			cancelUpstream();
		}

		private boolean terminate() {
			return TERMINATED.compareAndSet(this, 0, 1);
		}

		private void stopTimer() {
			Disposable pending = HeadersDeadline.this.task;
			if (pending != null) {
				pending.dispose();
			}
		}

	}

}
