package ai.dedaluslabs.spring.proxy;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TimeLimit}: a limit that arms no timer for an answer that is there at once, and otherwise
 * behaves as Reactor's {@code timeout}: the first of answer and limit wins, the loser is stopped.
 */
class TimeLimitTests {

	private static final Duration LIMIT = Duration.ofSeconds(2);

	private final CountingScheduler timer = new CountingScheduler();

	private final AtomicInteger expiries = new AtomicInteger();

	private <T> Mono<T> limited(Mono<T> source) {
		return TimeLimit.of(source, LIMIT, this.timer, () -> {
			this.expiries.incrementAndGet();
			return new TimeoutException("too slow");
		});
	}

	@Test
	void anAnswerThereAtOnceArmsNoTimer() {
		StepVerifier.create(limited(Mono.fromSupplier(() -> "now"))).expectNext("now").verifyComplete();
		StepVerifier.create(limited(Mono.empty())).verifyComplete();
		StepVerifier.create(limited(Mono.error(new IllegalStateException("refused"))))
			.verifyErrorMessage("refused");
		assertThat(this.timer.scheduled).hasValue(0);
	}

	@Test
	void aLaterAnswerStopsTheTimer() {
		Sinks.One<String> answer = Sinks.one();
		AtomicReference<String> received = new AtomicReference<>();
		limited(answer.asMono()).subscribe(received::set);
		assertThat(this.timer.scheduled).hasValue(1);
		this.timer.virtual.advanceTimeBy(LIMIT.minusMillis(1));
		answer.tryEmitValue("late but in time");
		assertThat(received).hasValue("late but in time");
		assertThat(this.timer.disposed).hasValue(1);
		this.timer.virtual.advanceTimeBy(LIMIT);
		assertThat(this.expiries).hasValue(0);
	}

	@Test
	void theLimitCancelsTheSourceAndSignalsTheError() {
		AtomicBoolean cancelled = new AtomicBoolean();
		StepVerifier.create(limited(Mono.<String>never().doOnCancel(() -> cancelled.set(true))))
			.then(() -> this.timer.virtual.advanceTimeBy(LIMIT))
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(TimeoutException.class)
				.hasMessage("too slow"));
		assertThat(cancelled).isTrue();
	}

	@Test
	void anAnswerAfterTheLimitIsDropped() {
		AtomicReference<CoreSubscriber<? super String>> source = new AtomicReference<>();
		Mono<String> late = new Mono<>() {
			@Override
			public void subscribe(CoreSubscriber<? super String> subscriber) {
				subscriber.onSubscribe(Operators.emptySubscription());
				source.set(subscriber);
			}
		};
		StepVerifier.create(limited(late)).then(() -> {
			this.timer.virtual.advanceTimeBy(LIMIT);
			source.get().onNext("too late");
		}).expectError(TimeoutException.class).verifyThenAssertThat().hasDroppedElements();
		assertThat(this.expiries).hasValue(1);
	}

	@Test
	void cancellingStopsTheTimerAndTheSource() {
		AtomicBoolean cancelled = new AtomicBoolean();
		Disposable subscription = limited(Mono.<String>never().doOnCancel(() -> cancelled.set(true))).subscribe();
		assertThat(this.timer.scheduled).hasValue(1);
		subscription.dispose();
		assertThat(cancelled).isTrue();
		assertThat(this.timer.disposed).hasValue(1);
		this.timer.virtual.advanceTimeBy(LIMIT.multipliedBy(2));
		assertThat(this.expiries).hasValue(0);
	}

	@Test
	void aRejectingTimerFailsTheAnswerAndCancelsTheSource() {
		AtomicBoolean cancelled = new AtomicBoolean();
		this.timer.virtual.dispose();
		StepVerifier.create(limited(Mono.<String>never().doOnCancel(() -> cancelled.set(true))))
			.verifyError(RejectedExecutionException.class);
		assertThat(cancelled).isTrue();
	}

	/** Virtual time that counts the timers armed and stopped. */
	private static final class CountingScheduler implements Scheduler {

		final VirtualTimeScheduler virtual = VirtualTimeScheduler.create();

		final AtomicInteger scheduled = new AtomicInteger();

		final AtomicInteger disposed = new AtomicInteger();

		@Override
		public Disposable schedule(Runnable task) {
			return this.virtual.schedule(task);
		}

		@Override
		public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
			this.scheduled.incrementAndGet();
			Disposable scheduledTask = this.virtual.schedule(task, delay, unit);
			return () -> {
				this.disposed.incrementAndGet();
				scheduledTask.dispose();
			};
		}

		@Override
		public long now(TimeUnit unit) {
			return this.virtual.now(unit);
		}

		@Override
		public Worker createWorker() {
			return this.virtual.createWorker();
		}

	}

}
