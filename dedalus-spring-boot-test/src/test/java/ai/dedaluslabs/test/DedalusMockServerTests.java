package ai.dedaluslabs.test;

import java.time.Duration;
import java.util.List;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.Timeouts;
import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.Tool;
import ai.dedaluslabs.client.chat.ToolCall;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.InternalServerException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.RateLimitException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DedalusMockServer} with the real client.
 */
@Timeout(60)
class DedalusMockServerTests {

	private final DedalusMockServer server = DedalusMockServer.start();

	private DedalusClient client;

	@BeforeEach
	void start() {
		this.client = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl(this.server.baseUrl())
			.maxRetries(0)
			.timeouts(Timeouts.DEFAULTS.withIdle(Duration.ofMillis(500)))
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	private static ChatCompletionRequest request(String model) {
		return ChatCompletionRequest.builder()
			.model(model)
			.addMessage(ChatMessage.system("Be brief."))
			.addMessage(ChatMessage.user("What is the weather in Dublin?"))
			.addTool(Tool.function("get_weather", "Weather now", null))
			.build();
	}

	private ChatCompletion accumulate(ChatCompletionRequest request) {
		return ChatCompletionAccumulator.accumulate(this.client.chat().completions().stream(request))
			.block(Duration.ofSeconds(10));
	}

	@Test
	void streamsTextAndUsage() {
		this.server.enqueue(StreamScript.create().text("Ineluctable modality of the visible.").usage(12, 7));
		ChatCompletion completion = accumulate(request("openai/gpt-5-nano"));
		assertThat(completion.content()).isEqualTo("Ineluctable modality of the visible.");
		assertThat(completion.model()).isEqualTo("openai/gpt-5-nano");
		assertThat(completion.usage().totalTokens()).isEqualTo(19);
	}

	@Test
	void streamsToolCallsInFragments() {
		this.server.enqueue(StreamScript.create().toolCall("call_1", "get_weather", "{\"city\":\"Dublin\",\"units\":\"c\"}"));
		ChatCompletion completion = accumulate(request("openai/gpt-5-nano"));
		assertThat(completion.choices().get(0).message().toolCalls())
			.containsExactly(ToolCall.function("call_1", "get_weather", "{\"city\":\"Dublin\",\"units\":\"c\"}"));
		assertThat(completion.choices().get(0).finishReason()).isEqualTo("tool_calls");
	}

	@Test
	void streamsSeveralChoicesInterleaved() {
		this.server.enqueue(StreamScript.create().text(0, "No, never.").text(1, "Yes, I said yes.").interleaveChoices());
		ChatCompletion completion = accumulate(request("openai/gpt-5-nano").newBuilder().n(2).build());
		assertThat(completion.choices()).extracting((choice) -> choice.message().content())
			.containsExactly("No, never.", "Yes, I said yes.");
	}

	@Test
	void answersAPlainRequestWithACompletion() {
		this.server.enqueue(MockReply.completion("Stately, plump."));
		assertThat(this.client.chat().completions().create(request("a/b")).content()).isEqualTo("Stately, plump.");
	}

	@Test
	void errorRepliesCarryTheApiBodyAndHeaders() {
		this.server.enqueue(MockReply.error(429).message("Slow down").retryAfter(Duration.ofSeconds(3)).requestId("req_7"));
		assertThatExceptionOfType(RateLimitException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request("a/b")))
			.satisfies((ex) -> {
				assertThat(ex.errorMessage()).isEqualTo("Slow down");
				assertThat(ex.type()).isEqualTo("rate_limit_error");
				assertThat(ex.requestId()).isEqualTo("req_7");
				assertThat(ex.headers().get("retry-after")).containsExactly("3");
			});
	}

	@Test
	void droppedConnectionFault() {
		this.server.enqueue(StreamScript.create().text("one two three").fault(StreamFault.dropConnection(2)));
		StepVerifier.create(this.client.chat().completions().stream(request("a/b")))
			.expectNextCount(2)
			.expectError(ApiConnectionException.class)
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void stallFault() {
		this.server.enqueue(StreamScript.create().text("one two").fault(StreamFault.stall(1)));
		StepVerifier.create(this.client.chat().completions().stream(request("a/b")))
			.expectNextCount(1)
			.expectError(ApiTimeoutException.class)
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void malformedEventFault() {
		this.server.enqueue(StreamScript.create().text("one two").fault(StreamFault.malformedEvent(2)));
		StepVerifier.create(this.client.chat().completions().stream(request("a/b")))
			.expectNextCount(2)
			.expectError(MalformedResponseException.class)
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void errorEventFault() {
		this.server.enqueue(StreamScript.create().text("one two").fault(StreamFault.errorEvent(3, "server_error", "boom")));
		StepVerifier.create(this.client.chat().completions().stream(request("a/b")))
			.expectNextCount(3)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(StreamErrorException.class)
				.hasMessageContaining("boom"))
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void recordsWhatTheClientSent() {
		this.server.enqueue(StreamScript.create().text("ok"));
		accumulate(request("anthropic/claude-haiku-4"));
		RecordedChatRequest sent = this.server.takeRequest(Duration.ofSeconds(5));
		assertThat(sent).hasToString("POST /v1/chat/completions (model=anthropic/claude-haiku-4, stream=true, messages=2)");
		assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test");
		assertThat(sent.request().messages()).extracting(ChatMessage::text)
			.containsExactly("Be brief.", "What is the weather in Dublin?");
		assertThat(sent.request().tools()).extracting((tool) -> tool.function().name()).containsExactly("get_weather");
		assertThat(sent.json().at("/stream_options/include_usage").asBoolean()).isTrue();
		assertThat(this.server.takeRequest(Duration.ofMillis(50))).as("no other request").isNull();
	}

	@Test
	void repliesByModel() {
		this.server.forModel("openai/gpt-5", StreamScript.create().text("from five"));
		this.server.enqueue(StreamScript.create().text("from the queue"));
		assertThat(accumulate(request("openai/gpt-5")).content()).isEqualTo("from five");
		assertThat(accumulate(request("other/model")).content()).isEqualTo("from the queue");
		assertThat(accumulate(request("openai/gpt-5")).content()).isEqualTo("from five");
	}

	@Test
	void unscriptedRequestGetsAnErrorThatSaysSo() {
		assertThatExceptionOfType(InternalServerException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request("a/b")))
			.withMessageContaining("no scripted reply");
	}

	@Test
	void seesTheClientCloseAStream() {
		this.server.enqueue(StreamScript.create().text("go").untilClientCloses());
		assertThat(this.client.chat().completions().stream(request("a/b")).take(3).count().block(Duration.ofSeconds(10)))
			.isEqualTo(3);
		assertThat(this.server.awaitClientDisconnects(1, Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void listsModels() {
		this.server.models("openai/gpt-5-nano", "anthropic/claude-haiku-4");
		assertThat(this.client.models().list()).extracting((model) -> model.id())
			.containsExactly("openai/gpt-5-nano", "anthropic/claude-haiku-4");
	}

	@Test
	void delaysEachChunk() {
		this.server.enqueue(StreamScript.create().text("a b c").delayPerChunk(Duration.ofMillis(20)));
		List<String> contents = this.client.chat()
			.completions()
			.stream(request("a/b"))
			.filter((chunk) -> !chunk.choices().isEmpty() && chunk.choices().get(0).delta().content() != null)
			.map((chunk) -> chunk.choices().get(0).delta().content())
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(contents).containsExactly("", "a", " b", " c");
	}

}
