package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FrameMapping}: skipped elements are made up for with requests, a failing mapping
 * cancels its source, and no thread-local is restored around an element.
 */
class FrameMappingTests {

	private static final String KEY = FrameMappingTests.class.getName();

	private static final ThreadLocal<String> CALLER = new ThreadLocal<>();

	@BeforeEach
	void registerThreadLocal() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, CALLER::get, CALLER::set, CALLER::remove);
	}

	@AfterEach
	void removeThreadLocal() {
		ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
		CALLER.remove();
	}

	private static SseFrame frame(int i) {
		return SseFrames.textFrame(Integer.toString(i));
	}

	@Test
	void eachSkippedElementIsMadeUpForWithOneRequest() {
		List<Long> requests = new CopyOnWriteArrayList<>();
		Flux<Integer> source = Flux.range(1, 6).doOnRequest(requests::add);
		StepVerifier.create(FrameMapping.map(source, (i) -> (i % 2 == 0) ? frame(i) : null), 0)
			.thenRequest(2)
			.assertNext((frame) -> assertThat(((SseFrame.Data) frame).lines()).containsExactly("2"))
			.assertNext((frame) -> assertThat(((SseFrame.Data) frame).lines()).containsExactly("4"))
			.then(() -> assertThat(requests).as("the two asked for, and one for each of 1 and 3").containsExactly(2L, 1L, 1L))
			.thenRequest(1)
			.assertNext((frame) -> assertThat(((SseFrame.Data) frame).lines()).containsExactly("6"))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void aFailingMappingCancelsTheSourceAndFailsOnce() {
		AtomicBoolean cancelled = new AtomicBoolean();
		Flux<Integer> source = Flux.range(1, 10).doOnCancel(() -> cancelled.set(true));
		StepVerifier.create(FrameMapping.map(source, (i) -> {
			if (i == 2) {
				throw new IllegalStateException("no frame for 2");
			}
			return frame(i);
		}))
			.expectNextCount(1)
			.expectErrorMessage("no frame for 2")
			.verify(Duration.ofSeconds(10));
		assertThat(cancelled).isTrue();
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
		StepVerifier.create(FrameMapping.map(source, (i) -> {
			seenByMapping.set(CALLER.get());
			return frame(i);
		}).contextWrite((context) -> context.put(KEY, "caller"))).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(seenByHandle).as("handle restores it (so this test can tell)").hasValue("caller");
		assertThat(seenByMapping).hasValue(null);
	}

}
