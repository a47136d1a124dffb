package ai.dedaluslabs.client.internal;

import ai.dedaluslabs.client.json.WireJson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ToolCall;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Decodes the streams recorded by the official Dedalus Python SDK's tests
 * ({@code src/test/resources/wire-examples}) and checks every chunk.
 */
class WireExamplesTests {

	static byte[] example(String name) {
		try (InputStream in = WireExamplesTests.class.getResourceAsStream("/wire-examples/" + name)) {
			assertThat(in).as("wire example %s", name).isNotNull();
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<ChatCompletionChunk> decode(String name) {
		List<ChatCompletionChunk> chunks = SplitFeeding.decode(example(name)).collectList().block(Duration.ofSeconds(5));
		assertThat(chunks).isNotNull();
		return chunks;
	}

	@Test
	void basicStream() {
		List<ChatCompletionChunk> chunks = decode("streaming_basic.sse");
		assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly("chatcmpl-test123");
		assertThat(chunks).extracting(ChatCompletionChunk::model).containsOnly("gpt-4o");
		assertThat(chunks).extracting(ChatCompletionChunk::systemFingerprint).containsOnly("fp_test");
		assertThat(chunks).extracting(ChatCompletionChunk::created).containsOnly(1727346142L);
		assertThat(chunks).extracting((c) -> c.choices().get(0).delta().role(),
				(c) -> c.choices().get(0).delta().content(), (c) -> c.choices().get(0).finishReason())
			.containsExactly(tuple("assistant", "", null), tuple(null, "Hello", null), tuple(null, " there", null),
					tuple(null, "!", null), tuple(null, null, "stop"));
		ChatCompletion completion = accumulate(chunks);
		assertThat(completion.content()).isEqualTo("Hello there!");
		assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
		assertThat(completion.usage()).isNull();
	}

	@Test
	void toolCallStream() {
		List<ChatCompletionChunk> chunks = decode("streaming_tool_call.sse");
		assertThat(chunks).hasSize(15);
		ChatCompletionChunk.ToolCallDelta first = chunks.get(0).choices().get(0).delta().toolCalls().get(0);
		assertThat(first.index()).isZero();
		assertThat(first.id()).isEqualTo("call_abc123");
		assertThat(first.type()).isEqualTo("function");
		assertThat(first.function().name()).isEqualTo("GetWeatherArgs");
		assertThat(first.function().arguments()).isEmpty();
		assertThat(chunks.subList(1, 14)).allSatisfy((chunk) -> {
			ChatCompletionChunk.ToolCallDelta piece = chunk.choices().get(0).delta().toolCalls().get(0);
			assertThat(piece.id()).isNull();
			assertThat(piece.function().name()).isNull();
			assertThat(piece.function().arguments()).isNotEmpty();
		});
		ChatCompletionChunk last = chunks.get(14);
		assertThat(last.choices().get(0).finishReason()).isEqualTo("tool_calls");
		assertThat(last.usage().totalTokens()).isEqualTo(100);
		ChatCompletion completion = accumulate(chunks);
		assertThat(completion.choices().get(0).message().toolCalls()).containsExactly(ToolCall.function("call_abc123",
				"GetWeatherArgs", "{\"city\":\"Edinburgh\",\"country\":\"UK\",\"units\":\"c\"}"));
		assertThat(completion.choices().get(0).message().content()).isNull();
		assertThat(completion.usage().promptTokens()).isEqualTo(76);
		assertThat(completion.usage().completionTokens()).isEqualTo(24);
	}

	@Test
	void refusalStream() {
		List<ChatCompletionChunk> chunks = decode("streaming_refusal.sse");
		assertThat(chunks).hasSize(10);
		assertThat(chunks).extracting((c) -> c.choices().get(0).delta().refusal())
			.containsExactly("", "I'm", " sorry", ",", " I", " can't", " assist", " with", " that.", null);
		ChatCompletion completion = accumulate(chunks);
		assertThat(completion.choices().get(0).message().refusal()).isEqualTo("I'm sorry, I can't assist with that.");
		assertThat(completion.choices().get(0).message().content()).isNull();
		assertThat(completion.usage().totalTokens()).isEqualTo(91);
	}

	@Test
	void maxTokensStream() {
		List<ChatCompletionChunk> chunks = decode("streaming_max_tokens.sse");
		assertThat(chunks).hasSize(3);
		ChatCompletion completion = accumulate(chunks);
		assertThat(completion.content()).isEqualTo("{\"");
		assertThat(completion.choices().get(0).finishReason()).isEqualTo("length");
		assertThat(completion.usage().completionTokens()).isEqualTo(1);
	}

	@Test
	void structuredStream() {
		List<ChatCompletionChunk> chunks = decode("streaming_structured.sse");
		assertThat(chunks).hasSize(15);
		ChatCompletion completion = accumulate(chunks);
		assertThat(completion.content())
			.isEqualTo("{\"city\":\"San Francisco\",\"temperature\":65,\"units\":\"f\"}");
		assertThat(completion.usage().totalTokens()).isEqualTo(93);
	}

	@Test
	void everyExampleDecodesIdenticallyAtEverySplit() {
		for (String name : List.of("streaming_basic.sse", "streaming_tool_call.sse", "streaming_refusal.sse",
				"streaming_max_tokens.sse", "streaming_structured.sse")) {
			byte[] bytes = example(name);
			List<ChatCompletionChunk> whole = SplitFeeding.decode(bytes).collectList().block(Duration.ofSeconds(5));
			for (int cut = 1; cut < bytes.length; cut += 7) {
				assertThat(SplitFeeding.decode(bytes, cut).collectList().block(Duration.ofSeconds(5)))
					.as("%s cut at %d", name, cut)
					.isEqualTo(whole);
			}
		}
	}

	@Test
	void streamingParserAgreesWithDataBinding() {
		ChunkDecoder decoder = new ChunkDecoder(WireJson.defaultMapper(), Secrets.none());
		ChunkParser parser = decoder.newParser();
		List<String> payloads = new java.util.ArrayList<>();
		for (String name : List.of("streaming_basic.sse", "streaming_tool_call.sse", "streaming_refusal.sse",
				"streaming_max_tokens.sse", "streaming_structured.sse")) {
			new String(example(name), java.nio.charset.StandardCharsets.UTF_8).lines()
				.filter((line) -> line.startsWith("data: {"))
				.forEach((line) -> payloads.add(line.substring(6)));
		}
		payloads.add("{\"id\":\"x\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"a\",\"tool_calls\":[{\"index\":0,"
				+ "\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},{\"index\":1,"
				+ "\"function\":{\"arguments\":\"[\"}}]},\"finish_reason\":null,\"extra\":{\"deep\":[1,{\"x\":null}]}},"
				+ "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"refusal\":\"no\"}}],\"created\":7,\"service_tier\":\"flex\"}");
		payloads.add("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"logprobs\":{\"content\":"
				+ "[{\"token\":\"hi\",\"logprob\":-0.1}]}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,"
				+ "\"total_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":1}}}");
		for (String payload : payloads) {
			byte[] bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			assertThat(decoder.decode(parser, null, bytes, 0, bytes.length)).as(payload)
				.isEqualTo(WireJson.defaultMapper().readValue(payload, ChatCompletionChunk.class));
		}
	}

	private static ChatCompletion accumulate(List<ChatCompletionChunk> chunks) {
		ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
		chunks.forEach(accumulator::accept);
		return accumulator.toChatCompletion();
	}

}
