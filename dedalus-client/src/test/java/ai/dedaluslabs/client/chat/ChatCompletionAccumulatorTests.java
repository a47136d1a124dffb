package ai.dedaluslabs.client.chat;

import java.time.Duration;
import java.util.List;

import ai.dedaluslabs.client.error.DedalusException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static ai.dedaluslabs.client.chat.Chunks.call;
import static ai.dedaluslabs.client.chat.Chunks.calls;
import static ai.dedaluslabs.client.chat.Chunks.finish;
import static ai.dedaluslabs.client.chat.Chunks.of;
import static ai.dedaluslabs.client.chat.Chunks.role;
import static ai.dedaluslabs.client.chat.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChatCompletionAccumulator}, with tool calls in the shapes real servers send.
 */
class ChatCompletionAccumulatorTests {

	private static ChatCompletion accumulate(ChatCompletionChunk... chunks) {
		ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
		for (ChatCompletionChunk chunk : chunks) {
			accumulator.accept(chunk);
		}
		return accumulator.toChatCompletion();
	}

	@Test
	void concatenatesContentAndKeepsMetadata() {
		ChatCompletion completion = accumulate(of(role(0)), of(text(0, "Ineluctable ")), of(text(0, "modality")),
				of(finish(0, "stop")), Chunks.usage(12, 3));
		assertThat(completion.id()).isEqualTo("chatcmpl-1");
		assertThat(completion.object()).isEqualTo("chat.completion");
		assertThat(completion.model()).isEqualTo("openai/gpt-5-nano");
		assertThat(completion.created()).isEqualTo(1700000000L);
		assertThat(completion.systemFingerprint()).isEqualTo("fp_1");
		assertThat(completion.choices()).singleElement().satisfies((choice) -> {
			assertThat(choice.message().role()).isEqualTo("assistant");
			assertThat(choice.message().content()).isEqualTo("Ineluctable modality");
			assertThat(choice.finishReason()).isEqualTo("stop");
		});
		assertThat(completion.usage()).isEqualTo(Usage.of(12, 3, 15));
	}

	@Test
	void openAiToolCallShapeIdAndNameOnlyOnFirstPiece() {
		ChatCompletion completion = accumulate(of(calls(0, call(0, "call_1", "get_weather", ""))),
				of(calls(0, call(0, null, null, "{\"city\":"))), of(calls(0, call(0, null, null, "\"Dublin\"}"))),
				of(finish(0, "tool_calls")));
		assertThat(completion.choices().get(0).message().toolCalls())
			.containsExactly(ToolCall.function("call_1", "get_weather", "{\"city\":\"Dublin\"}"));
		assertThat(completion.choices().get(0).finishReason()).isEqualTo("tool_calls");
	}

	@Test
	void idRepeatedOnEveryPieceDoesNotSplitTheCall() {
		ChatCompletion completion = accumulate(of(calls(0, call(0, "call_1", "get_weather", "{\"ci"))),
				of(calls(0, call(0, "call_1", null, "ty\":\"Cork\"}"))), of(finish(0, "tool_calls")));
		assertThat(completion.choices().get(0).message().toolCalls())
			.containsExactly(ToolCall.function("call_1", "get_weather", "{\"city\":\"Cork\"}"));
	}

	@Test
	void emptyIdsOnLaterPiecesDoNotSplitTheCall() {
		ChatCompletion completion = accumulate(of(calls(0, call(0, "call_1", "get_weather", ""))),
				of(calls(0, call(0, "", "", "{}"))), of(finish(0, "tool_calls")));
		assertThat(completion.choices().get(0).message().toolCalls())
			.containsExactly(ToolCall.function("call_1", "get_weather", "{}"));
	}

	@Test
	void severalCallsInOneChunk() {
		ChatCompletion completion = accumulate(
				of(calls(0, call(0, "call_a", "get_weather", "{\"city\":\"Paris\"}"),
						call(1, "call_b", "get_time", "{\"tz\":"))),
				of(calls(0, call(1, null, null, "\"CET\"}"))), of(finish(0, "tool_calls")));
		assertThat(completion.choices().get(0).message().toolCalls()).containsExactly(
				ToolCall.function("call_a", "get_weather", "{\"city\":\"Paris\"}"),
				ToolCall.function("call_b", "get_time", "{\"tz\":\"CET\"}"));
	}

	@Test
	void callsAreOrderedByIndexWhateverTheArrivalOrder() {
		ChatCompletion completion = accumulate(of(calls(0, call(1, "call_b", "second", "{}"))),
				of(calls(0, call(0, "call_a", "first", "{}"))), of(finish(0, "tool_calls")));
		assertThat(completion.choices().get(0).message().toolCalls()).extracting(ToolCall::id)
			.containsExactly("call_a", "call_b");
	}

	@Test
	void newIdAtAnIndexInUseStartsAnotherCall() {
		ChatCompletion completion = accumulate(of(calls(0, call(0, "call_a", "get_weather", "{\"city\":\"Rome\"}"))),
				of(calls(0, call(0, "call_b", "get_time", "{\"tz\":"))), of(calls(0, call(0, null, null, "\"CET\"}"))),
				of(finish(0, "tool_calls")));
		assertThat(completion.choices().get(0).message().toolCalls()).containsExactly(
				ToolCall.function("call_a", "get_weather", "{\"city\":\"Rome\"}"),
				ToolCall.function("call_b", "get_time", "{\"tz\":\"CET\"}"));
	}

	@Test
	void interleavedChoicesAreMergedByIndex() {
		ChatCompletion completion = accumulate(of(role(0)), of(role(1)), of(text(1, "Yes")), of(text(0, "No")),
				of(text(0, ", never"), text(1, ", I said yes")), of(calls(1, call(0, "call_x", "say", "{}"))),
				of(finish(1, "tool_calls")), of(finish(0, "stop")), Chunks.usage(5, 9));
		assertThat(completion.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0, 1);
		assertThat(completion.choices().get(0).message().content()).isEqualTo("No, never");
		assertThat(completion.choices().get(0).message().toolCalls()).isEmpty();
		assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
		assertThat(completion.choices().get(1).message().content()).isEqualTo("Yes, I said yes");
		assertThat(completion.choices().get(1).message().toolCalls()).extracting(ToolCall::id).containsExactly("call_x");
		assertThat(completion.choices().get(1).finishReason()).isEqualTo("tool_calls");
		assertThat(completion.usage().totalTokens()).isEqualTo(14);
	}

	@Test
	void refusalIsConcatenatedApartFromContent() {
		ChatCompletionChunk.Choice refusal = new ChatCompletionChunk.Choice(0,
				new ChatCompletionChunk.Delta(null, null, "I cannot", List.of()), null, null);
		ChatCompletionChunk.Choice more = new ChatCompletionChunk.Choice(0,
				new ChatCompletionChunk.Delta(null, null, " do that.", List.of()), null, null);
		ChatCompletion completion = accumulate(of(refusal), of(more), of(finish(0, "stop")));
		assertThat(completion.choices().get(0).message().refusal()).isEqualTo("I cannot do that.");
		assertThat(completion.choices().get(0).message().content()).isNull();
	}

	@Test
	void unfinishedChoiceHasNoFinishReason() {
		ChatCompletion completion = accumulate(of(text(0, "half")));
		assertThat(completion.choices().get(0).finishReason()).isNull();
		assertThat(completion.usage()).isNull();
	}

	@Test
	void contentBeyondTheLimitFailsWithAClearError() {
		ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator(10);
		accumulator.accept(of(text(0, "0123456789")));
		assertThatExceptionOfType(DedalusException.class).isThrownBy(() -> accumulator.accept(of(text(0, "x"))))
			.withMessageContaining("limit of 10 characters")
			.withMessageContaining("new ChatCompletionAccumulator(long)");
	}

	@Test
	void toolCallArgumentsCountTowardsTheLimit() {
		ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator(5);
		assertThatExceptionOfType(DedalusException.class)
			.isThrownBy(() -> accumulator.accept(of(calls(0, call(0, "c", "f", "{\"a\":1}")))));
	}

	@Test
	void accumulateCollectsAFlux() {
		Flux<ChatCompletionChunk> chunks = Flux.just(of(text(0, "a")), of(text(0, "b")), of(finish(0, "stop")));
		StepVerifier.create(ChatCompletionAccumulator.accumulate(chunks))
			.assertNext((completion) -> assertThat(completion.content()).isEqualTo("ab"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void accumulatePassesTheStreamError() {
		Flux<ChatCompletionChunk> chunks = Flux.just(of(text(0, "a"))).concatWith(Flux.error(new IllegalStateException("cut")));
		StepVerifier.create(ChatCompletionAccumulator.accumulate(chunks))
			.expectErrorMessage("cut")
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void logProbabilitiesOfContentAndRefusalAreBothConcatenated() {
		ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
		tools.jackson.databind.json.JsonMapper mapper = ai.dedaluslabs.client.json.WireJson.defaultMapper();
		accumulator.accept(Chunks.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, null, "No", List.of()),
				null, mapper.readTree("{\"content\":null,\"refusal\":[{\"token\":\"No\",\"logprob\":-0.1}]}"))));
		accumulator.accept(Chunks.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, null, ".", List.of()),
				"stop", mapper.readTree("{\"refusal\":[{\"token\":\".\",\"logprob\":-0.2}]}"))));
		accumulator.accept(Chunks.of(new ChatCompletionChunk.Choice(1, new ChatCompletionChunk.Delta(null, "Hi", null, List.of()),
				"stop", mapper.readTree("{\"content\":[{\"token\":\"Hi\",\"logprob\":-0.3}],\"refusal\":null}"))));
		ChatCompletion completion = accumulator.toChatCompletion();
		assertThat(completion.choices().get(0).logprobs()).hasToString(
				"{\"refusal\":[{\"token\":\"No\",\"logprob\":-0.1},{\"token\":\".\",\"logprob\":-0.2}]}");
		assertThat(completion.choices().get(1).logprobs()).hasToString("{\"content\":[{\"token\":\"Hi\",\"logprob\":-0.3}]}");
	}

}
