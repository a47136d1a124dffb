package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.context.ContextRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FrameStream}: skipped elements are made up for with requests, a failing mapping
 * cancels its source, no thread-local is restored around an element, heartbeats take demand and
 * are dropped without it, the end waits for demand, and nothing is lost or reordered when the
 * timer's heartbeats meet the source's frames.
 */
class FrameStreamTests {

	private static final String KEY = FrameStreamTests.class.getName();

	private static final long HOUR = Duration.ofHours(1).toNanos();

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private static final ThreadLocal<String> CALLER = new ThreadLocal<>();

	@BeforeEach
	void registerThreadLocal() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, CALLER::get, CALLER::set, CALLER::remove);
	}

	@AfterEach
	void removeThreadLocal() {
		ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
		CALLER.remove();
		this.time.dispose();
	}

	private <T> Flux<SseFrame> frames(Flux<T> source, Function<T, @Nullable SseFrame> toFrame) {
		return new FrameStream<>(source, toFrame, SseFrame.DONE, HOUR, 0, this.time);
	}

	private static String text(SseFrame frame) {
		return String.join("\n", ((SseFrame.Data) frame).lines());
	}

	private static SseFrame frame(int i) {
		return SseFrames.textFrame(Integer.toString(i));
	}

	@Test
	void eachSkippedElementIsMadeUpForWithOneRequest() {
		List<Long> requests = new CopyOnWriteArrayList<>();
		Flux<Integer> source = Flux.range(1, 6).doOnRequest(requests::add);
		StepVerifier.create(frames(source, (i) -> (i % 2 == 0) ? frame(i) : null), 0)
			.thenRequest(2)
			.assertNext((frame) -> assertThat(((SseFrame.Data) frame).lines()).containsExactly("2"))
			.assertNext((frame) -> assertThat(((SseFrame.Data) frame).lines()).containsExactly("4"))
			.then(() -> assertThat(requests).as("the two asked for, and one for each of 1 and 3").containsExactly(2L, 1L, 1L))
			.thenRequest(1)
			.assertNext((frame) -> assertThat(((SseFrame.Data) frame).lines()).containsExactly("6"))
			.expectNoEvent(Duration.ofMillis(50))
			.thenRequest(1)
			.expectNext(SseFrame.DONE)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void aFailingMappingCancelsTheSourceAndEndsWithOneErrorFrame() {
		AtomicBoolean cancelled = new AtomicBoolean();
		Flux<Integer> source = Flux.range(1, 10).doOnCancel(() -> cancelled.set(true));
		StepVerifier.create(frames(source, (i) -> {
			if (i == 2) {
				throw new IllegalStateException("no frame for 2");
			}
			return frame(i);
		}))
			.expectNextCount(1)
			.assertNext((frame) -> assertThat(frame).isInstanceOf(SseFrame.Error.class))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cancelled).isTrue();
	}

	@Test
	void withoutAnEndFrameTheSourcesEndAndErrorsPassAsTheyAre() {
		Flux<SseFrame> failing = Flux.concat(Flux.just(frame(1)), Flux.error(new IllegalStateException("gone")));
		StepVerifier.create(new FrameStream<>(failing, Function.identity(), null, HOUR, 0, this.time))
			.expectNextCount(1)
			.expectErrorMessage("gone")
			.verify(Duration.ofSeconds(10));
		StepVerifier.create(new FrameStream<>(Flux.just(frame(1)), Function.identity(), null, HOUR, 0, this.time))
			.expectNextCount(1)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/** Frames of the source's numbers with a heartbeat after 15 s of silence, in virtual time. */
	private Flux<SseFrame> withHeartbeats(TestPublisher<Integer> source) {
		return new FrameStream<>(source, FrameStreamTests::frame, SseFrame.DONE, Duration.ofSeconds(15).toNanos(), 0,
				this.time);
	}

	@Test
	void aHeartbeatTakesDemandAndTheChunkAfterItWaitsForMore() {
		TestPublisher<Integer> source = TestPublisher.create();
		StepVerifier.create(withHeartbeats(source), 1)
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(15)))
			.expectNext(SseFrame.HEARTBEAT)
			.then(() -> source.next(1))
			.expectNoEvent(Duration.ofMillis(50))
			.thenRequest(1)
			.assertNext((frame) -> assertThat(text(frame)).isEqualTo("1"))
			.then(source::complete)
			.expectNoEvent(Duration.ofMillis(50))
			.thenRequest(1)
			.expectNext(SseFrame.DONE)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void aHeartbeatWithoutDemandIsDroppedNotQueued() {
		TestPublisher<Integer> source = TestPublisher.create();
		StepVerifier.create(withHeartbeats(source), 0)
			.then(() -> this.time.advanceTimeBy(Duration.ofSeconds(45)))
			.thenRequest(1)
			.then(() -> source.next(1))
			.assertNext((frame) -> assertThat(text(frame)).isEqualTo("1"))
			.thenRequest(1)
			.then(source::complete)
			.expectNext(SseFrame.DONE)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void heartbeatsFromAnotherThreadNeitherLoseNorReorderFrames() {
		int count = 20_000;
		CountDownLatch heartbeatSeen = new CountDownLatch(1);
		AtomicBoolean paused = new AtomicBoolean();
		// A heartbeat is due at every check, so the timer's thread writes while the source's does; the
		// source waits in the middle until one has been written, so at least one surely was.
		Flux<Integer> source = Flux.range(0, count).publishOn(Schedulers.single(), 16).doOnNext((i) -> {
			if (i == count / 2) {
				try {
					paused.set(heartbeatSeen.await(10, TimeUnit.SECONDS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		Flux<SseFrame> frames = new FrameStream<>(source, FrameStreamTests::frame, SseFrame.DONE, 1, 0,
				Schedulers.parallel());
		List<SseFrame> received = frames.doOnNext((frame) -> {
			if (frame == SseFrame.HEARTBEAT) {
				heartbeatSeen.countDown();
			}
		}).collectList().block(Duration.ofSeconds(30));
		assertThat(paused).as("a heartbeat came between the frames").isTrue();
		assertThat(received).isNotNull().last().isEqualTo(SseFrame.DONE);
		List<String> data = received.stream().filter(SseFrame.Data.class::isInstance).map(FrameStreamTests::text).toList();
		assertThat(data).hasSize(count);
		for (int i = 0; i < count; i++) {
			assertThat(data.get(i)).isEqualTo(Integer.toString(i));
		}
	}

	@Test
	void framesSentWhileAHeartbeatIsWrittenComeBeforeTheEnd() throws Exception {
		// The timer's thread writes a heartbeat; while it is being written, the source sends its
		// frames and ends from another thread. The end must not go out without the frames (it did:
		// found by an MVC forwarding test that saw a keepalive and [DONE], and nothing between).
		TestPublisher<Integer> source = TestPublisher.create();
		HeldHeartbeat writer = new HeldHeartbeat();
		withHeartbeats(source).subscribe(writer);
		Thread timer = new Thread(() -> this.time.advanceTimeBy(Duration.ofSeconds(15)), "timer");
		timer.start();
		writer.whileHeartbeatIsWritten(() -> {
			source.next(1, 2, 3);
			source.complete();
		});
		timer.join(10_000);
		assertThat(writer.received).hasSize(5);
		assertThat(writer.received.get(0)).isEqualTo(SseFrame.HEARTBEAT);
		assertThat(writer.received.subList(1, 4)).extracting(FrameStreamTests::text).containsExactly("1", "2", "3");
		assertThat(writer.received.get(4)).isEqualTo(SseFrame.DONE);
	}

	@Test
	void theEndDoesNotInterruptAHeartbeatBeingWritten() throws Exception {
		// Reactor interrupts a running task disposed from another thread, and Tomcat fails a write on
		// an interrupted thread: a stream that ended while its heartbeat was written lost its response.
		TestPublisher<Integer> source = TestPublisher.create();
		HeldHeartbeat writer = new HeldHeartbeat();
		Scheduler timer = Schedulers.newSingle("heartbeats");
		try {
			new FrameStream<>(source, FrameStreamTests::frame, SseFrame.DONE, Duration.ofMillis(1).toNanos(), 0, timer)
				.subscribe(writer);
			writer.whileHeartbeatIsWritten(() -> {
				source.next(1);
				source.complete();
			});
		}
		finally {
			timer.dispose();
		}
		assertThat(writer.interrupted).as("the heartbeat's write was interrupted").isFalse();
		List<SseFrame> received = writer.received;
		assertThat(received.get(received.size() - 2)).extracting(FrameStreamTests::text).isEqualTo("1");
		assertThat(received.get(received.size() - 1)).isEqualTo(SseFrame.DONE);
	}

	/**
	 * Records the frames, and holds the first heartbeat's write (as a slow write to a response
	 * would) while the test acts from its own thread.
	 */
	private static final class HeldHeartbeat extends BaseSubscriber<SseFrame> {

		final List<SseFrame> received = new CopyOnWriteArrayList<>();

		final AtomicBoolean interrupted = new AtomicBoolean();

		private final CountDownLatch writing = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		private final CountDownLatch completed = new CountDownLatch(1);

		@Override
		protected void hookOnNext(SseFrame frame) {
			this.received.add(frame);
			if (frame == SseFrame.HEARTBEAT && this.writing.getCount() > 0) {
				this.writing.countDown();
				try {
					// Stands for a write to the response, which an interrupt fails.
					this.released.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					this.interrupted.set(true);
				}
			}
		}

		@Override
		protected void hookOnComplete() {
			this.completed.countDown();
		}

		/** Run {@code action} while the first heartbeat is being written, then let it finish. */
		void whileHeartbeatIsWritten(Runnable action) throws InterruptedException {
			assertThat(this.writing.await(10, TimeUnit.SECONDS)).as("a heartbeat is being written").isTrue();
			action.run();
			this.released.countDown();
			assertThat(this.completed.await(10, TimeUnit.SECONDS)).as("the frames completed").isTrue();
		}

	}

	@Test
	void noThreadLocalIsRestoredAroundAnElement() {
		AtomicReference<String> seenByHandle = new AtomicReference<>();
		AtomicReference<String> seenByMapping = new AtomicReference<>("not called");
		Flux<Integer> source = Flux.just(1);
		// The control: handle() restores the subscriber's context as thread-locals around each element.
		StepVerifier.create(source.<Integer>handle((i, sink) -> {
			seenByHandle.set(CALLER.get());
			sink.next(i);
		}).contextWrite((context) -> context.put(KEY, "caller"))).expectNext(1).expectComplete().verify(Duration.ofSeconds(10));
		StepVerifier.create(frames(source, (i) -> {
			seenByMapping.set(CALLER.get());
			return frame(i);
		}).contextWrite((context) -> context.put(KEY, "caller"))).expectNextCount(2).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(seenByHandle).as("handle restores it (so this test can tell)").hasValue("caller");
		assertThat(seenByMapping).hasValue(null);
	}

}
