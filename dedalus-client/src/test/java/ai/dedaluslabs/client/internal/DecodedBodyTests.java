package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.json.WireJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoding operator: one buffer asked for at a time, and only once the elements of the one
 * before are delivered; the body's end judged by the decoder; a buffer that arrives after a cancel
 * released, never fed.
 */
class DecodedBodyTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

	private static String event(String content) {
		return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
				+ "\"delta\":{\"content\":\"" + content + "\"}}]}\n\n";
	}

	private DataBuffer buffer(String text) {
		return this.buffers.wrap(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
	}

	private static Flux<Object> decoded(Flux<DataBuffer> body) {
		ChunkStreamDecoder<ChatCompletionChunk> decoder = new ChunkStreamDecoder<>(
				new ChunkDecoder(WireJson.defaultMapper(), Secrets.none()), (data, offset, length, chunk) -> chunk, 1 << 20);
		return decoder.decode(body);
	}

	private static String content(Object element) {
		return ((ChatCompletionChunk) element).choices().get(0).delta().content();
	}

	@Test
	void aBufferIsAskedForOnlyWhenTheElementsBeforeItAreDelivered() {
		List<Long> requests = new CopyOnWriteArrayList<>();
		TestPublisher<DataBuffer> body = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
		Flux<DataBuffer> counted = body.flux().doOnRequest(requests::add);
		StepVerifier.create(decoded(counted), 0)
			.then(() -> assertThat(requests).as("nothing demanded, nothing asked for").isEmpty())
			.thenRequest(1)
			.then(() -> assertThat(requests).containsExactly(1L))
			.then(() -> body.next(buffer(event("a") + event("b") + event("c"))))
			.assertNext((element) -> assertThat(content(element)).isEqualTo("a"))
			.thenRequest(1)
			.assertNext((element) -> assertThat(content(element)).isEqualTo("b"))
			.thenRequest(1)
			.assertNext((element) -> assertThat(content(element)).isEqualTo("c"))
			.then(() -> assertThat(requests).as("one buffer for all three").containsExactly(1L))
			.thenRequest(1)
			.then(() -> assertThat(requests).containsExactly(1L, 1L))
			.then(() -> body.next(buffer("data: [DONE]\n\n")))
			.expectNext(ChunkStreamDecoder.END)
			.then(body::complete)
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void theBodysEndIsJudgedByTheDecoderAfterTheLastElement() {
		// No [DONE] and an unfinished choice: the end is a cut connection.
		StepVerifier.create(decoded(Flux.just(buffer(event("a")))))
			.assertNext((element) -> assertThat(content(element)).isEqualTo("a"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("before [DONE]"))
			.verify(WAIT);
	}

	@Test
	void aBodyThatEndsBeforeItsElementsAreDemandedEndsAfterThem() {
		// The body has ended, and the end must still wait for the demand of what it left.
		TestPublisher<DataBuffer> body = TestPublisher.create();
		StepVerifier.create(decoded(body.flux()), 1)
			.then(() -> body.next(buffer(event("a") + event("b") + "data: [DONE]\n\n")))
			.assertNext((element) -> assertThat(content(element)).isEqualTo("a"))
			.then(body::complete)
			.thenRequest(1)
			.assertNext((element) -> assertThat(content(element)).isEqualTo("b"))
			.thenRequest(1)
			.expectNext(ChunkStreamDecoder.END)
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void aBodyThatEndsAfterAFailedEventEndsWithTheFailure() {
		StepVerifier.create(decoded(Flux.just(buffer(event("a") + "data: {not json\n\n"))))
			.assertNext((element) -> assertThat(content(element)).isEqualTo("a"))
			.expectError(MalformedResponseException.class)
			.verify(WAIT);
	}

	@Test
	void aBufferThatArrivesAfterACancelIsReleased() {
		// A body that goes on sending after the cancel, as a network buffer already on its way does.
		TestPublisher<DataBuffer> body = TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION,
				TestPublisher.Violation.REQUEST_OVERFLOW);
		ByteBuf late = Unpooled.copiedBuffer(event("late"), StandardCharsets.UTF_8);
		StepVerifier.create(decoded(body.flux()))
			.then(() -> body.next(buffer(event("a"))))
			.assertNext((element) -> assertThat(content(element)).isEqualTo("a"))
			.thenCancel()
			.verify(WAIT);
		body.next(this.buffers.wrap(late));
		assertThat(late.refCnt()).isZero();
	}

}
