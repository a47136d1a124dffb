package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An upstream (a misconfigured gateway, say) that echoes the client's secrets everywhere it can:
 * in error bodies, headers, the request id, stream error events, chunk text and malformed events.
 * None of the secrets reaches anything the client hands on.
 */
@Timeout(60)
class HostileUpstreamTests {

	private static final String API_KEY = "sk-hostile-echo-4c5d6e7f8a";

	private static final String PROVIDER_KEY = "sk-provider-echo-1a2b3c4d";

	private static final String HEADER_SECRET = "gateway-token-9f8e7d6c";

	private final MockWebServer server = new MockWebServer();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder()
			.apiKey(API_KEY)
			.provider("openai", PROVIDER_KEY)
			.header("X-Gateway-Token", HEADER_SECRET)
			.baseUrl(this.server.url("/").toString())
			.maxRetries(0)
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("Hi")).build();
	}

	private static String echo() {
		return "Authorization: Bearer " + API_KEY + ", X-Provider-Key: " + PROVIDER_KEY + ", X-Gateway-Token: "
				+ HEADER_SECRET;
	}

	private static void assertClean(String text) {
		assertThat(text).doesNotContain(API_KEY).doesNotContain(PROVIDER_KEY).doesNotContain(HEADER_SECRET);
	}

	private static String everything(Throwable error) {
		StringBuilder text = new StringBuilder();
		for (Throwable t = error; t != null; t = t.getCause()) {
			text.append(t).append('\n');
		}
		if (error instanceof ApiStatusException status) {
			text.append(status.body()).append(status.error()).append(status.requestId()).append(status.headers());
		}
		return text.toString();
	}

	@Test
	void errorBodyHeadersAndRequestIdAreMasked() {
		this.server.enqueue(new MockResponse.Builder().code(401)
			.addHeader("Content-Type", "application/json")
			.addHeader("x-request-id", "req " + API_KEY)
			.addHeader("x-echo", echo())
			.body("{\"error\":{\"message\":\"Invalid key: " + echo() + "\",\"type\":\"authentication_error\",\"param\":\""
					+ API_KEY + "\",\"code\":\"" + PROVIDER_KEY + "\"}}")
			.build());
		ApiStatusException error = catchThrowableOfType(ApiStatusException.class,
				() -> this.client.chat().completions().create(request()));
		assertClean(everything(error));
		assertThat(error.errorMessage()).contains("Bearer " + "*".repeat(API_KEY.length()));
	}

	@Test
	void jsonEscapedSecretInAnErrorIsMaskedToo() {
		String escaped = API_KEY.replace("k", "\\u006b");
		this.server.enqueue(new MockResponse.Builder().code(400)
			.addHeader("Content-Type", "application/json")
			.body("{\"error\":{\"message\":\"bad key " + escaped + "\",\"type\":\"invalid_request_error\"}}")
			.build());
		ApiStatusException error = catchThrowableOfType(ApiStatusException.class,
				() -> this.client.chat().completions().create(request()));
		assertClean(String.valueOf(error.errorMessage()) + error.getMessage());
	}

	@Test
	void streamErrorEventIsMasked() {
		this.server.enqueue(Sse.ok(Sse.events(Sse.chunk(0, "Hi"),
				"{\"error\":{\"message\":\"upstream saw " + echo() + "\",\"type\":\"server_error\"}}")));
		List<ChatCompletionChunk> received = new ArrayList<>();
		StreamErrorException error = catchThrowableOfType(StreamErrorException.class,
				() -> this.client.chat().completions().stream(request()).doOnNext(received::add).blockLast(Duration.ofSeconds(10)));
		assertThat(received).hasSize(1);
		assertClean(everything(error));
	}

	@Test
	void chunkTextAndRawJsonAreMasked() {
		this.server.enqueue(Sse.ok(Sse.events(Sse.chunk(0, "your key is " + API_KEY), Sse.finish(0, "stop"), "[DONE]")));
		List<RawChatCompletionChunk> chunks = this.client.chat()
			.completions()
			.streamRaw(request())
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks).hasSize(2);
		assertClean(chunks.get(0).json());
		assertClean(String.valueOf(chunks.get(0).chunk().choices().get(0).delta().content()));
		assertThat(chunks.get(0).chunk().choices().get(0).delta().content()).isEqualTo("your key is " + "*".repeat(API_KEY.length()));
	}

	@Test
	void malformedEventQuotedInTheErrorIsMasked() {
		this.server.enqueue(Sse.ok(Sse.events("{\"broken\": " + API_KEY)));
		DedalusException error = catchThrowableOfType(MalformedResponseException.class,
				() -> this.client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10)));
		assertClean(everything(error));
	}

	@Test
	void nonStreamedCompletionIsMasked() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
					+ "\"message\":{\"role\":\"assistant\",\"content\":\"" + echo() + "\"},\"finish_reason\":\"stop\"}]}")
			.build());
		assertClean(this.client.chat().completions().createRawAsync(request(), RequestOptions.defaults())
			.map((raw) -> raw.json() + raw.completion().choices().get(0).message().content())
			.block(Duration.ofSeconds(10)));
	}

}
