package ai.dedaluslabs.client;

import java.time.Duration;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.BadRequestException;
import ai.dedaluslabs.client.observation.ChatObservationContext;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that each operation is one Micrometer observation, whatever its retries, with the
 * OpenTelemetry GenAI key values.
 */
@Timeout(60)
class ObservationTests {

	private final MockWebServer server = new MockWebServer();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl(this.server.url("/").toString())
			.observationRegistry(this.registry)
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().model("openai/gpt-5").addMessage(ChatMessage.user("hi")).build();
	}

	@Test
	void streamIsOneObservationWithUsageAndModels() {
		this.server.enqueue(Sse.ok(Sse.answer("a", "b")));
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(4)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasNumberOfObservationsEqualTo(1)
			.hasObservationWithNameEqualTo("gen_ai.client.operation")
			.that()
			.hasContextualNameEqualTo("chat openai/gpt-5")
			.hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
			.hasLowCardinalityKeyValue("gen_ai.provider.name", "dedalus")
			.hasLowCardinalityKeyValue("gen_ai.request.model", "openai/gpt-5")
			.hasLowCardinalityKeyValue("gen_ai.response.model", "openai/gpt-5-nano")
			.hasLowCardinalityKeyValue("error.type", "none")
			.hasBeenStarted()
			.hasBeenStopped()
			.satisfies((context) -> {
				ChatObservationContext chat = (ChatObservationContext) context;
				assertThat(chat.usage().completionTokens()).isEqualTo(2);
				assertThat(chat.firstChunkNanos()).isNotNegative();
				assertThat(chat.outcome()).isEqualTo(ChatObservationContext.Outcome.COMPLETED);
			});
	}

	@Test
	void httpExchangesAreChildrenOfTheOperation() {
		try (DedalusClient traced = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl(this.server.url("/").toString())
			.webClientBuilder(org.springframework.web.reactive.function.client.WebClient.builder()
				.observationRegistry(this.registry))
			.observationRegistry(this.registry)
			.build()) {
			this.server.enqueue(Sse.ok(Sse.answer("a")));
			traced.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
		}
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasParentObservationContextMatching((parent) -> parent instanceof ChatObservationContext)
			.hasLowCardinalityKeyValue("uri", "/v1/chat/completions")
			.hasLowCardinalityKeyValue("method", "POST")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasHighCardinalityKeyValue("http.url", this.server.url("/v1/chat/completions").toString());
	}

	@Test
	void retriedOperationIsObservedOnce() {
		this.server.enqueue(Sse.error(503, "{}").newBuilder().addHeader("retry-after-ms", "0").build());
		this.server.enqueue(Sse.ok(Sse.answer("ok")));
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(3)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		TestObservationRegistryAssert.assertThat(this.registry).hasNumberOfObservationsEqualTo(1);
	}

	@Test
	void cancelledStreamIsTaggedCancelled() {
		this.server.enqueue(new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "x")).response());
		StepVerifier.create(this.client.chat().completions().stream(request()).take(2))
			.expectNextCount(2)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("error.type", "cancelled")
			.hasBeenStopped();
	}

	@Test
	void failedCallIsTaggedWithTheExceptionType() {
		this.server.enqueue(Sse.error(400, "{\"error\":{\"message\":\"no\"}}"));
		StepVerifier.create(this.client.chat().completions().createAsync(request()))
			.expectError(BadRequestException.class)
			.verify(Duration.ofSeconds(10));
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("error.type", "BadRequestException")
			.hasLowCardinalityKeyValue("gen_ai.response.model", "unknown")
			.hasError();
	}

}
