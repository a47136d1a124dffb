package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import ai.dedaluslabs.client.json.WireJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static ai.dedaluslabs.client.internal.SplitFeeding.content;
import static ai.dedaluslabs.client.internal.SplitFeeding.verifyAtEverySplit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChunkStreamDecoder} and the SSE parsing beneath it. Every case is fed at every
 * split point of its bytes.
 */
class ChunkStreamDecoderTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static String chunk(String content) {
		return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
				+ content + "\"},\"finish_reason\":null}]}";
	}

	private static String finish(int index, String reason) {
		return "{\"id\":\"c1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":" + index
				+ ",\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
	}

	@Test
	void linesEndingInLineFeed() {
		String sse = "data: " + chunk("a") + "\n\ndata: " + chunk("b") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.assertNext((c) -> assertThat(content(c)).isEqualTo("b"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void linesEndingInCarriageReturnLineFeed() {
		String sse = "data: " + chunk("a") + "\r\n\r\ndata: " + chunk("b") + "\r\n\r\ndata: [DONE]\r\n\r\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.assertNext((c) -> assertThat(content(c)).isEqualTo("b"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void linesEndingInCarriageReturn() {
		String sse = "data: " + chunk("a") + "\r\rdata: " + chunk("b") + "\r\rdata: [DONE]\r\r";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.assertNext((c) -> assertThat(content(c)).isEqualTo("b"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void mixedLineEndingsInOneStream() {
		String sse = "data: " + chunk("a") + "\r\n\ndata: " + chunk("b") + "\r\rdata: [DONE]\n\r\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(2).expectComplete().verify(WAIT));
	}

	@Test
	void commentsAndKeepAlivesAreIgnored() {
		String sse = ": keep-alive\n\n:\ndata: " + chunk("a") + "\n: inside an event\n\n: ping\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void dataWithoutSpaceAfterColon() {
		String sse = "data:" + chunk("a") + "\n\ndata:[DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void multiLineDataIsJoinedWithLineFeed() {
		String sse = "data: {\"id\":\"c1\",\"model\":\"m\",\ndata: \"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n"
				+ "data: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> {
			assertThat(c.id()).isEqualTo("c1");
			assertThat(content(c)).isEqualTo("x");
		}).expectComplete().verify(WAIT));
	}

	@Test
	void idRetryAndUnknownFieldsAreIgnored() {
		String sse = "id: 7\nretry: 1000\nfoo: bar\ndata: " + chunk("a") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1).expectComplete().verify(WAIT));
	}

	@Test
	void multiByteCharactersSplitAnywhere() {
		String text = "h\u00e9llo \u4e16\u754c \ud83c\udf0d";
		String sse = "data: " + chunk(text) + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo(text))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void escapedNewlinesInContentSurvive() {
		String sse = "data: " + chunk("line one\\nline two\\r\\n\\ndata: forged") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step
			.assertNext((c) -> assertThat(content(c)).isEqualTo("line one\nline two\r\n\ndata: forged"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void doneCompletesAndLaterBytesAreIgnored() {
		String sse = "data: " + chunk("a") + "\n\ndata: [DONE]\n\ndata: " + chunk("late") + "\n\ndata: {broken\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void doneWithoutClosingBlankLineIsDiscardedAtEndOfInput() {
		// WHATWG and the OpenAI SDKs discard an unterminated last event, [DONE] included: the
		// stream is then judged by its finish reasons.
		String sse = "data: " + chunk("a") + "\n\ndata: [DONE]\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("middle of an event"))
			.verify(WAIT));
		String finished = "data: " + finish(0, "stop") + "\n\ndata: [DONE]\n";
		verifyAtEverySplit(finished, (step) -> step.expectNextCount(1).expectComplete().verify(WAIT));
	}

	@Test
	void usageChunkWithEmptyChoices() {
		String sse = "data: " + finish(0, "stop") + "\n\n"
				+ "data: {\"id\":\"c1\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12,\"completion_tokens_details\":{\"reasoning_tokens\":2}}}\n\n"
				+ "data: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(c.usage()).isNull())
			.assertNext((c) -> {
				assertThat(c.choices()).isEmpty();
				assertThat(c.usage().promptTokens()).isEqualTo(9);
				assertThat(c.usage().completionTokens()).isEqualTo(3);
				assertThat(c.usage().totalTokens()).isEqualTo(12);
				assertThat(c.usage().completionTokensDetails().reasoningTokens()).isEqualTo(2);
			})
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void errorEventFailsAfterEarlierChunks() {
		String sse = "data: " + chunk("a") + "\n\nevent: error\ndata: {\"error\":{\"message\":\"upstream overloaded\",\"type\":\"server_error\",\"code\":\"overloaded\"}}\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(StreamErrorException.class)
					.hasMessageContaining("upstream overloaded")
					.hasMessageContaining("server_error");
				StreamErrorException streamError = (StreamErrorException) error;
				assertThat(streamError.type()).isEqualTo("server_error");
				assertThat(streamError.code()).isEqualTo("overloaded");
				assertThat(streamError.errorMessage()).isEqualTo("upstream overloaded");
			})
			.verify(WAIT));
	}

	@Test
	void eachBufferIsReleasedExactlyOnceWhenItsFirstEventFails() {
		// Netty's slices share their parent's count: one release too many frees memory Netty still uses.
		NettyDataBufferFactory buffers = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
		List<ByteBuf> fed = new ArrayList<>();
		Flux<DataBuffer> body = Flux.just("data: " + chunk("a") + "\n\n", "data: {\"id\":\n\n", "data: " + chunk("b") + "\n\n")
			.map((text) -> {
				ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
				// One count for the test, one for the decoder to give back.
				buf.retain();
				fed.add(buf);
				return (DataBuffer) buffers.wrap(buf);
			});
		ChunkStreamDecoder<ChatCompletionChunk> decoder = new ChunkStreamDecoder<>(
				new ChunkDecoder(WireJson.defaultMapper(), Secrets.none()), (data, offset, length, chunk) -> chunk, 1 << 20);
		StepVerifier.create(ChunkStreamDecoder.<ChatCompletionChunk>completeAtEnd(decoder.decode(body)))
			.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectError(MalformedResponseException.class)
			.verify(WAIT);
		assertThat(fed).hasSizeGreaterThanOrEqualTo(2);
		assertThat(fed.subList(0, 2)).as("the test's own count left on each buffer the decoder read")
			.allSatisfy((buf) -> assertThat(buf.refCnt()).isEqualTo(1));
	}

	@Test
	void unwrappedErrorEventIsRead() {
		String sse = "event: error\ndata: {\"message\":\"bad things\",\"type\":\"server_error\",\"code\":500}\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectErrorSatisfies((error) -> {
			StreamErrorException streamError = (StreamErrorException) error;
			assertThat(streamError.errorMessage()).isEqualTo("bad things");
			assertThat(streamError.code()).isEqualTo("500");
		}).verify(WAIT));
	}

	@Test
	void topLevelErrorPayloadFailsAfterEarlierChunks() {
		String sse = "data: " + chunk("a") + "\n\ndata: {\"error\":{\"message\":\"rate limited\",\"type\":\"rate_limit_error\"}}\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(StreamErrorException.class)
				.hasMessageContaining("rate limited"))
			.verify(WAIT));
	}

	@Test
	void contentThatSaysErrorIsNotAnError() {
		String sse = "data: " + chunk("error") + "\n\ndata: " + chunk("\\\"error\\\": yes") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("error"))
			.assertNext((c) -> assertThat(content(c)).isEqualTo("\"error\": yes"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void undecodableJsonQuotesThePayload() {
		String sse = "data: " + chunk("a") + "\n\ndata: {\"id\": oops}\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("'{\"id\": oops}'"))
			.verify(WAIT));
	}

	@Test
	void eventLargerThanLimitFails() {
		String big = "x".repeat(SplitFeeding.MAX_EVENT_SIZE);
		String sse = "data: " + chunk("a") + "\n\ndata: " + chunk(big) + "\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("dedalus.max-event-size")
				.hasMessageContaining(Integer.toString(SplitFeeding.MAX_EVENT_SIZE)))
			.verify(WAIT));
	}

	@Test
	void endWithoutDoneCompletesWhenEveryChoiceFinished() {
		String sse = "data: " + chunk("a") + "\n\ndata: " + finish(0, "stop") + "\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(2).expectComplete().verify(WAIT));
	}

	@Test
	void endWithoutDoneFailsWhileAChoiceIsUnfinished() {
		String twoChoices = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"}}]}";
		String sse = "data: " + chunk("a") + "\n\ndata: " + twoChoices + "\n\ndata: " + finish(0, "stop") + "\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(3)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("before [DONE]")
				.hasMessageContaining("unfinished"))
			.verify(WAIT));
	}

	@Test
	void choicesPastTheSixtyFourthAreTrackedToo() {
		// The first 64 indices are bits of a long; those beyond go to a bit set made when needed.
		String choice70 = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":70,\"delta\":{\"content\":\"b\"}}]}";
		String unfinished = "data: " + chunk("a") + "\n\ndata: " + choice70 + "\n\ndata: " + finish(0, "stop") + "\n\n";
		verifyAtEverySplit(unfinished, (step) -> step.expectNextCount(3)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("unfinished"))
			.verify(WAIT));
		String finished = unfinished + "data: " + finish(70, "stop") + "\n\n";
		verifyAtEverySplit(finished, (step) -> step.expectNextCount(4).expectComplete().verify(WAIT));
	}

	@Test
	void endInTheMiddleOfAnEventFails() {
		String sse = "data: " + chunk("a") + "\n\ndata: " + finish(0, "stop").substring(0, 20);
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("middle of an event"))
			.verify(WAIT));
	}

	@Test
	void emptyBodyFails() {
		verifyAtEverySplit("", (step) -> step
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("no chunk had arrived"))
			.verify(WAIT));
	}

	@Test
	void namedEventsOtherThanErrorAreDecodedAsChunks() {
		String sse = "event: message\ndata: " + chunk("a") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}

	@Test
	void unknownFieldsInChunksAreTolerated() {
		String sse = "data: {\"id\":\"c1\",\"model\":\"m\",\"provider_extra\":{\"x\":[1,2]},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"reasoning_content\":\"hm\"},\"new_field\":true}]}\n\n"
				+ "data: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}


	@Test
	void aRawStreamMakesTheRecordsOfTheCommonChunkOnlyWhenAskedAndReadsUsageAsItArrives() {
		String toolCall = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
				+ "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]}}]}";
		String usage = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,"
				+ "\"total_tokens\":5}}";
		String sse = "data: " + chunk("\u00e9t\u00e9") + "\n\ndata: " + toolCall + "\n\ndata: " + finish(0, "stop")
				+ "\n\ndata: " + usage + "\n\ndata: [DONE]\n\n";
		ChunkDecoder decoder = new ChunkDecoder(WireJson.defaultMapper(), Secrets.none());
		List<byte[]> decoded = new ArrayList<>();
		RawEvents raw = new RawEvents((bytes) -> {
			decoded.add(bytes);
			return decoder.decodeChecked(bytes);
		});
		byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
		List<RawChatCompletionChunk> events = SplitFeeding.decode(raw, bytes, 7, 60, 200).collectList().block(WAIT);
		assertThat(events).hasSize(4);
		assertThat(decoded).as("records made while relaying").isEmpty();
		assertThat(events).extracting(RawChatCompletionChunk::model).containsOnly("m");
		assertThat(events).extracting(RawChatCompletionChunk::choiceCount).containsExactly(1, 1, 1, 0);
		assertThat(events.get(3).usage()).as("the usage chunk, read as it arrived").isNotNull()
			.satisfies((read) -> assertThat(read.totalTokens()).isEqualTo(5));
		List<ChatCompletionChunk> eager = SplitFeeding.decode(bytes).collectList().block(WAIT);
		assertThat(events).extracting(RawChatCompletionChunk::chunk).isEqualTo(eager);
		assertThat(decoded).as("records made on first use, of the three common chunks").hasSize(3);
		assertThat(content(events.get(0).chunk())).isEqualTo("\u00e9t\u00e9");
		assertThat(decoded).as("and only once").hasSize(3);
	}

}
