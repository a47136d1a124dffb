package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.ToolCall;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.AuthenticationException;
import ai.dedaluslabs.client.error.BadRequestException;
import ai.dedaluslabs.client.error.ConflictException;
import ai.dedaluslabs.client.error.InternalServerException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.NotFoundException;
import ai.dedaluslabs.client.error.PermissionDeniedException;
import ai.dedaluslabs.client.error.RateLimitException;
import ai.dedaluslabs.client.error.StreamErrorException;
import ai.dedaluslabs.client.error.UnprocessableEntityException;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.client.models.Model;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChatCompletions#create}, {@link ChatCompletions#createAsync} and
 * {@link Models} against {@code mockwebserver3}.
 */
@Timeout(60)
class ChatCompletionsCreateTests {

	private static final String API_KEY = "sk-test-0c1d2e3f-secret";

	private static final String COMPLETION = """
			{"id":"chatcmpl-7","object":"chat.completion","created":1700000000,"model":"openai/gpt-5-nano",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Signatures of all things.",
			   "tool_calls":[{"id":"call_1","type":"function","function":{"name":"read","arguments":"{}"}}]},
			   "finish_reason":"stop","logprobs":null}],
			 "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25},
			 "tools_executed":["brave_search"],"mcp_tool_results":[{"tool":"brave_search","ok":true}],
			 "some_future_field":{"a":1}}
			""";

	private final MockWebServer server = new MockWebServer();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder()
			.apiKey(API_KEY)
			.baseUrl(this.server.url("/").toString())
			.provider("openai", "sk-provider-secret")
			.header("X-Team", "docs")
			.maxRetries(0)
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().model("openai/gpt-5").addMessage(ChatMessage.user("Proteus?")).build();
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status)
			.addHeader("Content-Type", "application/json")
			.addHeader("x-request-id", "req_abc")
			.body(body)
			.build();
	}

	@Test
	void createDecodesTheCompletionWithDedalusExtras() {
		this.server.enqueue(json(200, COMPLETION));
		ChatCompletion completion = this.client.chat().completions().create(request());
		assertThat(completion.id()).isEqualTo("chatcmpl-7");
		assertThat(completion.content()).isEqualTo("Signatures of all things.");
		assertThat(completion.choices().get(0).message().toolCalls())
			.containsExactly(ToolCall.function("call_1", "read", "{}"));
		assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
		assertThat(completion.choices().get(0).logprobs()).isNull();
		assertThat(completion.usage().totalTokens()).isEqualTo(25);
		assertThat(completion.toolsExecuted()).containsExactly("brave_search");
		assertThat(completion.mcpToolResults()).hasSize(1);
		assertThat(completion.mcpServerErrors()).isNull();
	}

	@Test
	void createSendsAPlainJsonRequestWithEveryHeader() throws Exception {
		this.server.enqueue(json(200, COMPLETION));
		this.client.chat().completions().create(request());
		RecordedRequest recorded = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(recorded.getTarget()).isEqualTo("/v1/chat/completions");
		assertThat(recorded.getHeaders().get("Accept")).isEqualTo("application/json");
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
		assertThat(recorded.getHeaders().get("X-Provider")).isEqualTo("openai");
		assertThat(recorded.getHeaders().get("X-Provider-Key")).isEqualTo("sk-provider-secret");
		assertThat(recorded.getHeaders().get("X-Team")).isEqualTo("docs");
		JsonNode body = WireJson.defaultMapper().readTree(recorded.getBody().utf8());
		assertThat(body.get("model").asString()).isEqualTo("openai/gpt-5");
		assertThat(body.has("stream")).isFalse();
	}

	@Test
	void createAsyncIsColdAndReactive() {
		var completion = this.client.chat().completions().createAsync(request());
		assertThat(this.server.getRequestCount()).isZero();
		this.server.enqueue(json(200, COMPLETION));
		StepVerifier.create(completion)
			.assertNext((c) -> assertThat(c.content()).isEqualTo("Signatures of all things."))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@CsvSource({ "400, ai.dedaluslabs.client.error.BadRequestException",
			"401, ai.dedaluslabs.client.error.AuthenticationException",
			"403, ai.dedaluslabs.client.error.PermissionDeniedException",
			"404, ai.dedaluslabs.client.error.NotFoundException", "408, ai.dedaluslabs.client.error.ApiStatusException",
			"409, ai.dedaluslabs.client.error.ConflictException", "413, ai.dedaluslabs.client.error.ApiStatusException",
			"422, ai.dedaluslabs.client.error.UnprocessableEntityException",
			"429, ai.dedaluslabs.client.error.RateLimitException",
			"500, ai.dedaluslabs.client.error.InternalServerException",
			"503, ai.dedaluslabs.client.error.InternalServerException" })
	void eachStatusHasItsException(int status, Class<? extends ApiStatusException> type) {
		this.server.enqueue(json(status,
				"{\"error\":{\"message\":\"it failed\",\"type\":\"some_error\",\"param\":\"model\",\"code\":\"x1\"}}"));
		assertThatExceptionOfType(ApiStatusException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request()))
			.isExactlyInstanceOf(type)
			.satisfies((ex) -> {
				assertThat(ex.statusCode()).isEqualTo(status);
				assertThat(ex.requestId()).isEqualTo("req_abc");
				assertThat(ex.type()).isEqualTo("some_error");
				assertThat(ex.code()).isEqualTo("x1");
				assertThat(ex.error().param()).isEqualTo("model");
				assertThat(ex.errorMessage()).isEqualTo("it failed");
				assertThat(ex.body()).contains("\"it failed\"");
				assertThat(ex.getMessage()).startsWith(status + " ").contains("(req_abc): it failed [some_error: x1]");
			});
	}

	@Test
	void messageReadsLikeTheApisOwnWords() {
		this.server.enqueue(json(400,
				"{\"error\":{\"message\":\"model 'x' is not available\",\"type\":\"invalid_request_error\"}}"));
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request()))
			.withMessage("400 Bad Request (req_abc): model 'x' is not available [invalid_request_error]");
	}

	@Test
	void unwrappedErrorBodyIsParsed() {
		this.server.enqueue(json(401, "{\"message\":\"Invalid API key\",\"type\":\"authentication_error\"}"));
		assertThatExceptionOfType(AuthenticationException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request()))
			.satisfies((ex) -> {
				assertThat(ex.errorMessage()).isEqualTo("Invalid API key");
				assertThat(ex.getMessage()).doesNotContain(API_KEY);
			});
	}

	@Test
	void nonJsonErrorBodyIsKeptRaw() {
		this.server.enqueue(new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build());
		assertThatExceptionOfType(InternalServerException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request()))
			.satisfies((ex) -> {
				assertThat(ex.body()).isEqualTo("<html>Bad Gateway</html>");
				assertThat(ex.type()).isNull();
				assertThat(ex.getMessage()).isEqualTo("502 Bad Gateway: <html>Bad Gateway</html>");
			});
	}

	@Test
	void errorInsideAnOkBodyIsReported() {
		this.server.enqueue(json(200, "{\"error\":{\"message\":\"provider failed\",\"type\":\"server_error\"}}"));
		assertThatExceptionOfType(StreamErrorException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request()))
			.withMessageContaining("provider failed");
	}

	@Test
	void undecodableBodyQuotesIt() {
		this.server.enqueue(json(200, "{\"id\": nope"));
		assertThatExceptionOfType(MalformedResponseException.class)
			.isThrownBy(() -> this.client.chat().completions().create(request()))
			.withMessageContaining("ChatCompletion")
			.withMessageContaining("{\"id\": nope");
	}

	@Test
	void bodyLargerThanTheEventLimitIsRefused() {
		try (DedalusClient small = DedalusClient.builder()
			.apiKey(API_KEY)
			.baseUrl(this.server.url("/").toString())
			.maxEventSize(2048)
			.build()) {
			this.server.enqueue(json(200, "{\"id\":\"" + "x".repeat(300_000) + "\"}"));
			assertThatExceptionOfType(MalformedResponseException.class)
				.isThrownBy(() -> small.chat().completions().create(request()))
				.withMessageContaining("2048 bytes")
				.withMessageContaining("dedalus.max-event-size");
		}
	}

	@Test
	void bodyLargerThanSpringsCodecDefaultIsAccepted() {
		String content = "y".repeat(400_000);
		this.server.enqueue(json(200, "{\"id\":\"big\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
				+ "\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}]}"));
		assertThat(this.client.chat().completions().create(request()).content()).hasSize(400_000);
	}

	@Test
	void modelsAreListed() throws Exception {
		this.server.enqueue(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"openai/gpt-5-nano\",\"object\":\"model\","
				+ "\"created\":1,\"owned_by\":\"openai\",\"extra\":true},{\"id\":\"anthropic/claude-haiku-4\"}]}"));
		assertThat(this.client.models().list()).extracting(Model::id)
			.containsExactly("openai/gpt-5-nano", "anthropic/claude-haiku-4");
		RecordedRequest recorded = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(recorded.getMethod()).isEqualTo("GET");
		assertThat(recorded.getTarget()).isEqualTo("/v1/models");
	}

	@Test
	void exceptionTypesShareOneBase() {
		assertThat(ai.dedaluslabs.client.error.DedalusException.class).isAssignableFrom(ApiStatusException.class)
			.isAssignableFrom(StreamErrorException.class)
			.isAssignableFrom(MalformedResponseException.class)
			.isAssignableFrom(ai.dedaluslabs.client.error.ApiTimeoutException.class);
		assertThat(ai.dedaluslabs.client.error.ApiConnectionException.class)
			.isAssignableFrom(ai.dedaluslabs.client.error.ApiTimeoutException.class);
		assertThat(ApiStatusException.class).isAssignableFrom(ConflictException.class)
			.isAssignableFrom(NotFoundException.class)
			.isAssignableFrom(PermissionDeniedException.class)
			.isAssignableFrom(RateLimitException.class)
			.isAssignableFrom(UnprocessableEntityException.class);
	}

}
