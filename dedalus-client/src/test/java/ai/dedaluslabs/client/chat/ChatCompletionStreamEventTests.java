package ai.dedaluslabs.client.chat;

import java.time.Duration;

import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.ChoiceFinished;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.ContentDelta;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.ContentDone;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.RefusalDelta;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.RefusalDone;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.ToolCallArgumentsDelta;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.ToolCallDone;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent.UsageReceived;
import ai.dedaluslabs.client.error.MalformedResponseException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static ai.dedaluslabs.client.chat.Chunks.call;
import static ai.dedaluslabs.client.chat.Chunks.calls;
import static ai.dedaluslabs.client.chat.Chunks.finish;
import static ai.dedaluslabs.client.chat.Chunks.of;
import static ai.dedaluslabs.client.chat.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the typed event view, {@link ChatCompletionAccumulator#events(Flux)}.
 */
class ChatCompletionStreamEventTests {

	record Weather(String city, String units) {
	}

	@Test
	void contentDeltasThenDoneThenFinishThenUsage() {
		Flux<ChatCompletionChunk> chunks = Flux.just(of(text(0, "Yes")), of(text(0, " I said")), of(text(0, "")),
				of(finish(0, "stop")), Chunks.usage(3, 4));
		StepVerifier.create(ChatCompletionAccumulator.events(chunks))
			.expectNext(new ContentDelta(0, "Yes"), new ContentDelta(0, " I said"), new ContentDone(0, "Yes I said"),
					new ChoiceFinished(0, "stop"), new UsageReceived(Usage.of(3, 4, 7)))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void toolCallArgumentsArriveInPiecesAndCompleteAtFinish() {
		Flux<ChatCompletionChunk> chunks = Flux.just(of(calls(0, call(0, "call_1", "get_weather", ""))),
				of(calls(0, call(0, null, null, "{\"city\":\"Dublin\","))),
				of(calls(0, call(0, null, null, "\"units\":\"c\"}"))), of(finish(0, "tool_calls")));
		StepVerifier.create(ChatCompletionAccumulator.events(chunks))
			.expectNext(new ToolCallArgumentsDelta(0, 0, "get_weather", "{\"city\":\"Dublin\","),
					new ToolCallArgumentsDelta(0, 0, "get_weather", "\"units\":\"c\"}"))
			.assertNext((event) -> {
				ToolCallDone done = (ToolCallDone) event;
				assertThat(done.id()).isEqualTo("call_1");
				assertThat(done.name()).isEqualTo("get_weather");
				assertThat(done.arguments()).isEqualTo("{\"city\":\"Dublin\",\"units\":\"c\"}");
				assertThat(done.parseArguments().get("city").asString()).isEqualTo("Dublin");
				assertThat(done.parseArguments(Weather.class)).isEqualTo(new Weather("Dublin", "c"));
			})
			.expectNext(new ChoiceFinished(0, "tool_calls"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void refusalEvents() {
		ChatCompletionChunk.Choice refusal = new ChatCompletionChunk.Choice(0,
				new ChatCompletionChunk.Delta(null, null, "No.", java.util.List.of()), null, null);
		StepVerifier.create(ChatCompletionAccumulator.events(Flux.just(of(refusal), of(finish(0, "stop")))))
			.expectNext(new RefusalDelta(0, "No."), new RefusalDone(0, "No."), new ChoiceFinished(0, "stop"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void unfinishedChoicesAreClosedWhenTheStreamCompletes() {
		StepVerifier.create(ChatCompletionAccumulator.events(Flux.just(of(text(0, "cut")))))
			.expectNext(new ContentDelta(0, "cut"), new ContentDone(0, "cut"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void invalidArgumentsFailToParseWithTheToolName() {
		ToolCallDone done = new ToolCallDone(0, 0, "call_1", "get_weather", "{\"city\":");
		assertThatExceptionOfType(MalformedResponseException.class).isThrownBy(done::parseArguments)
			.withMessageContaining("get_weather")
			.withMessageContaining("{\"city\":");
	}

	@Test
	void emptyArgumentsParseAsEmptyObject() {
		assertThat(new ToolCallDone(0, 0, "id", "now", "").parseArguments().isEmpty()).isTrue();
	}

}
