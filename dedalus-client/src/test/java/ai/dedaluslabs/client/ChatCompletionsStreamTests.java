package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.RateLimitException;
import ai.dedaluslabs.client.error.StreamErrorException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import ai.dedaluslabs.client.json.WireJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link ChatCompletions#stream} and its raw, event and blocking forms against
 * {@code mockwebserver3}.
 */
@Timeout(60)
class ChatCompletionsStreamTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String API_KEY = "sk-test-7f3a9c2e-secret";

	private final MockWebServer server = new MockWebServer();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder().apiKey(API_KEY).baseUrl(this.server.url("/").toString()).build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder()
			.addMessage(ChatMessage.system("You are Stephen Dedalus. Respond in morose Joycean malaise."))
			.addMessage(ChatMessage.user("What do you think of artificial intelligence?"))
			.build();
	}

	private static String content(ChatCompletionChunk chunk) {
		return chunk.choices().get(0).delta().content();
	}

	@Test
	void streamSendsTheRequestAsTheApiExpects() throws Exception {
		this.server.enqueue(Sse.ok(Sse.answer("Ineluctable")));
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(3)
			.expectComplete()
			.verify(WAIT);
		RecordedRequest recorded = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(recorded).isNotNull();
		assertThat(recorded.getMethod()).isEqualTo("POST");
		assertThat(recorded.getTarget()).isEqualTo("/v1/chat/completions");
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
		assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
		assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
		assertThat(recorded.getHeaders().get("User-Agent")).startsWith("dedalus-java/");
		JsonNode body = WireJson.defaultMapper().readTree(recorded.getBody().utf8());
		assertThat(body.get("model").asString()).isEqualTo("openai/gpt-5-nano");
		assertThat(body.get("stream").asBoolean()).isTrue();
		assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
		assertThat(body.at("/messages/1/content").asString()).isEqualTo("What do you think of artificial intelligence?");
	}

	@Test
	void streamEmitsEveryChunkThenTheUsageChunk() {
		this.server.enqueue(Sse.ok(Sse.answer("Ineluctable", " modality", " of", " the", " visible")));
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo("Ineluctable"))
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo(" modality"))
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo(" of"))
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo(" the"))
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo(" visible"))
			.assertNext((chunk) -> assertThat(chunk.choices().get(0).finishReason()).isEqualTo("stop"))
			.assertNext((chunk) -> {
				assertThat(chunk.choices()).isEmpty();
				assertThat(chunk.usage().promptTokens()).isEqualTo(10);
				assertThat(chunk.usage().completionTokens()).isEqualTo(5);
			})
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void streamIsColdAndSendsOneRequestPerSubscription() {
		Flux<ChatCompletionChunk> stream = this.client.chat().completions().stream(request());
		assertThat(this.server.getRequestCount()).isZero();
		this.server.enqueue(Sse.ok(Sse.answer("one")));
		this.server.enqueue(Sse.ok(Sse.answer("two")));
		StepVerifier.create(stream).assertNext((c) -> assertThat(content(c)).isEqualTo("one")).thenCancel().verify(WAIT);
		StepVerifier.create(stream).assertNext((c) -> assertThat(content(c)).isEqualTo("two")).thenCancel().verify(WAIT);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void accumulatedStreamGivesTheCompleteAnswer() {
		this.server.enqueue(Sse.ok(Sse.answer("Ineluctable", " modality")));
		ChatCompletion completion = ChatCompletionAccumulator.accumulate(this.client.chat().completions().stream(request()))
			.block(WAIT);
		assertThat(completion.content()).isEqualTo("Ineluctable modality");
		assertThat(completion.usage().totalTokens()).isEqualTo(12);
	}

	@Test
	void rawStreamKeepsEachEventsJsonExactly() {
		String first = Sse.chunk(0, "caf\\u00e9 \u00e9");
		this.server.enqueue(Sse.ok(Sse.events(first, Sse.finish(0, "stop"), "[DONE]")));
		StepVerifier.create(this.client.chat().completions().streamRaw(request()))
			.assertNext((raw) -> {
				assertThat(raw.json()).isEqualTo(first);
				assertThat(raw.chunk().choices().get(0).delta().content()).isEqualTo("caf\u00e9 \u00e9");
			})
			.assertNext((raw) -> assertThat(raw.json()).isEqualTo(Sse.finish(0, "stop")))
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void eventStreamTypesTheAnswer() {
		this.server.enqueue(Sse.ok(Sse.answer("Yes", " I said")));
		StepVerifier.create(this.client.chat().completions().streamEvents(request()))
			.expectNext(new ChatCompletionStreamEvent.ContentDelta(0, "Yes"),
					new ChatCompletionStreamEvent.ContentDelta(0, " I said"),
					new ChatCompletionStreamEvent.ContentDone(0, "Yes I said"),
					new ChatCompletionStreamEvent.ChoiceFinished(0, "stop"))
			.assertNext((event) -> assertThat(event).isInstanceOf(ChatCompletionStreamEvent.UsageReceived.class))
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void statusBeforeTheStreamIsTyped() {
		this.server.enqueue(new MockResponse.Builder().code(429)
			.addHeader("Content-Type", "application/json")
			.addHeader("x-request-id", "req_429")
			.addHeader("retry-after", "0")
			.addHeader("x-should-retry", "false")
			.body("{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_error\",\"code\":\"rate_limited\"}}")
			.build());
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(RateLimitException.class)
					.hasMessage("429 Too Many Requests (req_429): Slow down [rate_limit_error: rate_limited]");
				RateLimitException rateLimit = (RateLimitException) error;
				assertThat(rateLimit.statusCode()).isEqualTo(429);
				assertThat(rateLimit.requestId()).isEqualTo("req_429");
				assertThat(rateLimit.headers()).containsKey("retry-after");
			})
			.verify(WAIT);
	}

	@Test
	void errorEventMidStreamArrivesAfterTheChunksBeforeIt() {
		this.server.enqueue(Sse.ok(Sse.events(Sse.chunk(0, "Once upon"), Sse.chunk(0, " a time"))
				+ "event: error\ndata: {\"error\":{\"message\":\"Provider overloaded\",\"type\":\"server_error\"}}\n\n"));
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.assertNext((c) -> assertThat(content(c)).isEqualTo("Once upon"))
			.assertNext((c) -> assertThat(content(c)).isEqualTo(" a time"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(StreamErrorException.class)
				.hasMessageContaining("Provider overloaded"))
			.verify(WAIT);
	}

	@Test
	void malformedChunkFailsAfterTheChunksBeforeIt() {
		this.server.enqueue(Sse.ok(Sse.events(Sse.chunk(0, "fine"), "{\"id\":\"x\",\"choices\":[{\"index\":0,")));
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("{\"id\":\"x\",\"choices\""))
			.verify(WAIT);
	}

	@Test
	void connectionDroppedMidStreamIsAConnectionError() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.DROP, Sse.chunk(0, "Once"), Sse.chunk(0, " upon"));
		this.server.enqueue(body.response());
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(2)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class))
			.verify(WAIT);
	}

	@Test
	void streamEndingWithoutDoneWhileUnfinishedIsAConnectionError() {
		this.server.enqueue(Sse.ok(Sse.events(Sse.chunk(0, "Once"))));
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isExactlyInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("before [DONE]"))
			.verify(WAIT);
	}

	@Test
	void nonEventStreamAnswerIsRefused() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/html")
			.body("<html>captive portal</html>")
			.build());
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("text/html")
				.hasMessageContaining("dedalus.base-url"))
			.verify(WAIT);
	}

	@Test
	void cancelAfterTakeClosesTheConnection() throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "a"), Sse.chunk(0, "b"));
		this.server.enqueue(body.response());
		AtomicBoolean cancelled = new AtomicBoolean();
		AtomicLong requested = new AtomicLong();
		Flux<ChatCompletionChunk> stream = this.client.chat()
			.completions()
			.stream(request())
			.doOnRequest(requested::addAndGet)
			.doOnCancel(() -> cancelled.set(true));
		StepVerifier.create(stream.take(3, true), 1)
			.expectNextCount(1)
			.thenRequest(2)
			.expectNextCount(2)
			.expectComplete()
			.verify(WAIT);
		assertThat(cancelled).as("upstream cancelled by take").isTrue();
		assertThat(requested.get()).as("demand never exceeded what take asked for").isEqualTo(3);
		assertThat(body.clientClosed().get(10, TimeUnit.SECONDS)).as("server saw the connection close").isNotNull();
	}

	@Test
	void disposeClosesTheConnection() throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "a"));
		this.server.enqueue(body.response());
		java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
		var subscription = this.client.chat().completions().stream(request()).limitRate(1).subscribe((chunk) -> first.countDown(), (error) -> {
		});
		assertThat(first.await(10, TimeUnit.SECONDS)).as("first chunk arrived").isTrue();
		subscription.dispose();
		assertThat(body.clientClosed().get(10, TimeUnit.SECONDS)).as("server saw the connection close").isNotNull();
	}

	@Test
	void blockingStreamIteratesAndClosesTheConnection() throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "Stately"), Sse.chunk(0, ","));
		this.server.enqueue(body.response());
		List<String> seen = new java.util.ArrayList<>();
		try (ChatCompletionStream stream = this.client.chat().completions().createStreaming(request())) {
			for (ChatCompletionChunk chunk : stream) {
				seen.add(content(chunk));
				if (seen.size() == 2) {
					break;
				}
			}
		}
		assertThat(seen).containsExactly("Stately", ",");
		assertThat(body.clientClosed().get(10, TimeUnit.SECONDS)).as("server saw the connection close").isNotNull();
	}

	@Test
	void blockingStreamThrowsTheStreamsError() {
		this.server.enqueue(Sse.ok(Sse.events(Sse.chunk(0, "x"))
				+ "event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n"));
		try (ChatCompletionStream stream = this.client.chat().completions().createStreaming(request())) {
			assertThatExceptionOfType(StreamErrorException.class)
				.isThrownBy(() -> stream.stream().forEach((chunk) -> {
				}))
				.withMessageContaining("boom");
		}
	}

	@Test
	void nullRequestFailsAtAssembly() {
		assertThatNullPointerException().isThrownBy(() -> this.client.chat().completions().stream(null))
			.withMessage("request");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void chunkOfSeveralChoicesInterleavedAreAccumulated() {
		this.server.enqueue(Sse.ok(Sse.events(Sse.chunk(0, "No"), Sse.chunk(1, "Yes"), Sse.chunk(1, "!"),
				Sse.finish(1, "stop"), Sse.chunk(0, "."), Sse.finish(0, "length"), Sse.usage(3, 4), "[DONE]")));
		ChatCompletion completion = ChatCompletionAccumulator
			.accumulate(this.client.chat().completions().stream(request().newBuilder().n(2).build()))
			.block(WAIT);
		assertThat(completion.choices()).extracting((choice) -> choice.message().content()).containsExactly("No.", "Yes!");
		assertThat(completion.choices()).extracting(ChatCompletion.Choice::finishReason).containsExactly("length", "stop");
		assertThat(completion.usage().totalTokens()).isEqualTo(7);
	}

	@Test
	void rawStreamOfRecordedExampleMatchesTheFileLineByLine() throws Exception {
		byte[] recorded = ChatCompletionsStreamTests.class
			.getResourceAsStream("/wire-examples/streaming_tool_call.sse")
			.readAllBytes();
		String text = new String(recorded, java.nio.charset.StandardCharsets.UTF_8);
		this.server.enqueue(Sse.ok(text));
		List<RawChatCompletionChunk> raw = this.client.chat().completions().streamRaw(request()).collectList().block(WAIT);
		List<String> expected = text.lines()
			.filter((line) -> line.startsWith("data: ") && !line.equals("data: [DONE]"))
			.map((line) -> line.substring(6))
			.toList();
		assertThat(raw).extracting(RawChatCompletionChunk::json).containsExactlyElementsOf(expected);
	}

}
