package ai.dedaluslabs.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle watchdog, in virtual time: silence fails the body and cancels it, every element starts
 * the silence again, and elements or an end delivered from within an element are not lost.
 */
class IdleWatchdogTests {

	private static final Duration LIMIT = Duration.ofMinutes(2);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	/** What the watchdog handed back instead of delivering: network buffers it must not lose. */
	private final List<Object> dropped = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopTime() {
		this.time.dispose();
	}

	private <T> Flux<T> watched(Publisher<T> body) {
		return IdleWatchdog.watch(Flux.from(body), LIMIT, this.time, () -> new IllegalStateException("silent"),
				this.dropped::add);
	}

	@Test
	void aSilentBodyFailsAtTheLimitAndIsCancelled() {
		TestPublisher<String> body = TestPublisher.create();
		StepVerifier.create(watched(body))
			.expectSubscription()
			.then(() -> this.time.advanceTimeBy(LIMIT.minusSeconds(1)))
			.expectNoEvent(Duration.ofMillis(50))
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(1)))
			.expectErrorMessage("silent")
			.verify(Duration.ofSeconds(10));
		body.assertCancelled();
	}

	@Test
	void eachElementStartsTheSilenceAgain() {
		TestPublisher<String> body = TestPublisher.create();
		StepVerifier.create(watched(body))
			.expectSubscription()
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(110)))
			.then(() -> body.next("a"))
			.expectNext("a")
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(110)))
			.then(() -> body.next("b"))
			.expectNext("b")
			// 220 s since the start, 119 s since "b"
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(119)))
			.expectNoEvent(Duration.ofMillis(50))
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(1)))
			.expectErrorMessage("silent")
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void aBodyThatEndsInTimeEndsAsItDid() {
		TestPublisher<String> body = TestPublisher.create();
		StepVerifier.create(watched(body))
			.expectSubscription()
			.then(() -> body.next("a"))
			.expectNext("a")
			.then(() -> this.time.advanceTimeBy(LIMIT.minusSeconds(1)))
			.then(() -> body.error(new IllegalArgumentException("upstream")))
			.expectErrorMessage("upstream")
			.verify(Duration.ofSeconds(10));
		body.assertNotCancelled();
	}

	@Test
	void aCancelledBodyIsNotFailedLater() {
		TestPublisher<String> body = TestPublisher.create();
		AtomicBoolean failed = new AtomicBoolean();
		watched(body).doOnError((error) -> failed.set(true)).subscribe().dispose();
		body.assertCancelled();
		this.time.advanceTimeBy(LIMIT.multipliedBy(2));
		assertThat(failed).isFalse();
	}

	@Test
	void anElementArrivingAfterACancelIsHandedBackNotLost() {
		// The body's thread can be past its own cancel check when a cancel comes from another one.
		TestPublisher<String> body = TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION);
		List<String> received = new CopyOnWriteArrayList<>();
		watched(body).subscribe(received::add).dispose();
		body.next("late");
		assertThat(received).isEmpty();
		assertThat(this.dropped).containsExactly("late");
	}

	@Test
	void anElementArrivingAfterTheTimerFailedTheBodyIsHandedBackNotLost() {
		TestPublisher<String> body = TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION);
		StepVerifier.create(watched(body))
			.expectSubscription()
			.then(() -> this.time.advanceTimeBy(LIMIT))
			.expectErrorMessage("silent")
			.verify(Duration.ofSeconds(10));
		body.next("late");
		assertThat(this.dropped).containsExactly("late");
	}

	@Test
	void deliveredElementsAreNotHandedBack() {
		TestPublisher<String> body = TestPublisher.create();
		StepVerifier.create(watched(body))
			.then(() -> body.next("a", "b"))
			.expectNext("a", "b")
			.then(body::complete)
			.verifyComplete();
		assertThat(this.dropped).isEmpty();
	}

	@Test
	void elementsAndTheEndDeliveredFromWithinAnElementAreNotLost() {
		// A source that answers a request at once, on the requester's stack: a request made from
		// within an element delivers the next one (and the end) inside that element.
		Publisher<Integer> answersAtOnce = (subscriber) -> subscriber.onSubscribe(new Subscription() {

			private int next = 1;

			@Override
			public void request(long n) {
				if (this.next <= 3) {
					subscriber.onNext(this.next++);
					if (this.next > 3) {
						subscriber.onComplete();
					}
				}
			}

			@Override
			public void cancel() {
			}

		});
		List<Integer> received = new CopyOnWriteArrayList<>();
		AtomicBoolean completed = new AtomicBoolean();
		watched(answersAtOnce).subscribe(new BaseSubscriber<>() {

			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				request(1);
			}

			@Override
			protected void hookOnNext(Integer value) {
				received.add(value);
				request(1);
			}

			@Override
			protected void hookOnComplete() {
				completed.set(true);
			}

		});
		assertThat(received).containsExactly(1, 2, 3);
		assertThat(completed).isTrue();
	}

}
