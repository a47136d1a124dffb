package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.concurrent.Callable;

import reactor.test.scheduler.VirtualTimeScheduler;

import static org.awaitility.Awaitility.await;

/**
 * Moves a {@link VirtualTimeScheduler} forward while real network work happens, for tests in
 * which Reactor timers (backoff, time limits) and a real socket take turns: it advances in small
 * steps until a condition holds, so a timer scheduled at any moment is reached without sleeping.
 */
final class VirtualClock {

	private final VirtualTimeScheduler time;

	VirtualClock(VirtualTimeScheduler time) {
		this.time = time;
	}

	/** Advance in {@code step}s until {@code done} is true; fail after ten real seconds. */
	void advanceUntil(Duration step, Callable<Boolean> done) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
			if (done.call()) {
				return true;
			}
			this.time.advanceTimeBy(step);
			return done.call();
		});
	}

	/** The virtual time now. */
	Duration now() {
		return Duration.ofNanos(this.time.now(java.util.concurrent.TimeUnit.NANOSECONDS));
	}

}
