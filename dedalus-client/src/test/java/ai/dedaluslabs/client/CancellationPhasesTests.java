package ai.dedaluslabs.client;

import reactor.core.publisher.Flux;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancelling a stream in every phase closes its connection at once: before the connection exists,
 * after the request went out but before the response headers, and mid-stream.
 */
@Timeout(60)
class CancellationPhasesTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final MockWebServer server = new MockWebServer();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder()
			.apiKey("sk-test-cancel-0001")
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

	@Test
	void cancelBeforeTheConnectionExistsLeavesNoConnection() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response());
		this.client.chat().completions().stream(request()).subscribe().dispose();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().allocated()).isZero());
	}

	@Test
	void cancelBeforeTheHeadersClosesTheConnection() throws Exception {
		// The server answers only after the test: the connection closes because of the cancel.
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response().newBuilder().headersDelay(30, TimeUnit.SECONDS).build());
		Disposable stream = this.client.chat().completions().stream(request()).subscribe();
		assertThat(this.server.takeRequest(10, TimeUnit.SECONDS)).as("the request went out").isNotNull();
		assertThat(this.client.connectionPool().active()).isEqualTo(1);
		stream.dispose();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().allocated()).isZero());
	}

	@Test
	void cancelMidStreamClosesTheConnectionAndTheServerSeesIt() throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response());
		StepVerifier.create(this.client.chat().completions().stream(request()), 1)
			.expectNextCount(1)
			.thenCancel()
			.verify(WAIT);
		assertThat(body.clientClosed().get(10, TimeUnit.SECONDS)).as("the server's write failed").isNotNull();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().allocated()).isZero());
	}

	@Test
	void aCancelledStreamSignalsNothingMoreDownstream() throws Exception {
		// Closing the connection fails the body; that failure must not reach the operators below a
		// cancel (a resumable stream's error handler would record it as the answer's end).
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response());
		List<Throwable> resumed = new CopyOnWriteArrayList<>();
		CountDownLatch first = new CountDownLatch(1);
		Disposable stream = this.client.chat()
			.completions()
			.stream(request())
			.onErrorResume((error) -> {
				resumed.add(error);
				return Flux.empty();
			})
			.subscribe((chunk) -> first.countDown());
		assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
		stream.dispose();
		assertThat(body.clientClosed().get(10, TimeUnit.SECONDS)).as("the server's write failed").isNotNull();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().allocated()).isZero());
		assertThat(resumed).isEmpty();
	}

}
