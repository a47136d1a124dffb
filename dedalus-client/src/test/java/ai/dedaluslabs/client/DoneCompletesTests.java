package ai.dedaluslabs.client;

import java.time.Duration;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code data: [DONE]} completes a stream at once, whatever the server does with the connection
 * afterwards, and the connection is released: closed when the body was not fully read, back to the
 * pool when it was.
 */
@Timeout(60)
class DoneCompletesTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final MockWebServer server = new MockWebServer();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder()
			.apiKey("sk-test-done-0001")
			.baseUrl(this.server.url("/").toString())
			.timeouts(Timeouts.DEFAULTS.withIdle(Duration.ofMillis(500)))
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

	@Test
	void doneCompletesWhileTheServerKeepsTheConnectionOpen() throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "Hi"), "[DONE]");
		this.server.enqueue(body.response());
		// The chunk has no finish reason: only [DONE] can complete this stream, and the idle limit
		// (500 ms) would fail it if completion waited for the silent server.
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(1)
			.expectComplete()
			.verify(WAIT);
		// Closed, not pooled: a connection whose body was not read to its end cannot be reused.
		await().atMost(WAIT).until(() -> this.client.connectionPool().allocated() == 0);
		body.release();
	}

	@Test
	void idleTimeoutClosesTheConnectionOfASilentServer() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response());
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(1)
			.expectError(ApiTimeoutException.class)
			.verify(WAIT);
		await().atMost(WAIT).until(() -> this.client.connectionPool().allocated() == 0);
		body.release();
	}

	@Test
	void fullyReadConnectionGoesBackToThePool() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.COMPLETE, Sse.chunk(0, "Hi"), Sse.finish(0, "stop"),
				"[DONE]");
		this.server.enqueue(body.response());
		StepVerifier.create(this.client.chat().completions().stream(request()))
			.expectNextCount(2)
			.expectComplete()
			.verify(WAIT);
		await().atMost(WAIT)
			.until(() -> this.client.connectionPool().active() == 0 && this.client.connectionPool().idle() == 1);
		assertThat(body.clientClosed()).as("no write failed: the body was read to its end").isNotDone();
	}

}
