package ai.dedaluslabs.client.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * Fails a body that stays silent for longer than a limit. Unlike {@code Flux.timeout}, which
 * schedules and cancels a timer task for every element, the body only records the time of its
 * latest piece, and one timer per idle period checks it: the per-chunk path stays free of timer
 * work. Time comes from the scheduler's clock, so virtual time drives it in tests.
 */
final class IdleWatchdog {

	private IdleWatchdog() {
	}

	static <T> Flux<T> watch(Flux<T> body, Duration limit, Scheduler scheduler, Supplier<Throwable> failure) {
		long limitNanos = limit.toNanos();
		return Flux.defer(() -> {
			Clock clock = new Clock(scheduler);
			Mono<Void> alarm = Mono.create((sink) -> clock.arm(sink, limitNanos, failure));
			return body.doOnNext((item) -> clock.touch()).takeUntilOther(alarm);
		});
	}

	/** The latest activity and the pending check of one body. */
	private static final class Clock {

		private final Scheduler scheduler;

		private volatile long lastActivity;

		private volatile Disposable pending = Disposables.disposed();

		private volatile boolean disposed;

		Clock(Scheduler scheduler) {
			this.scheduler = scheduler;
			this.lastActivity = now();
		}

		void touch() {
			this.lastActivity = now();
		}

		void arm(MonoSink<Void> sink, long limitNanos, Supplier<Throwable> failure) {
			sink.onDispose(() -> {
				this.disposed = true;
				this.pending.dispose();
			});
			schedule(sink, limitNanos, limitNanos, failure);
		}

		private void schedule(MonoSink<Void> sink, long delayNanos, long limitNanos, Supplier<Throwable> failure) {
			if (this.disposed) {
				return;
			}
			this.pending = this.scheduler.schedule(() -> {
				long silent = now() - this.lastActivity;
				if (silent >= limitNanos) {
					sink.error(failure.get());
				}
				else {
					schedule(sink, limitNanos - silent, limitNanos, failure);
				}
			}, delayNanos, TimeUnit.NANOSECONDS);
		}

		private long now() {
			return this.scheduler.now(TimeUnit.NANOSECONDS);
		}

	}

}
