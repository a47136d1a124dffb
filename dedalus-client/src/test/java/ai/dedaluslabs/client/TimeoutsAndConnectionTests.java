package ai.dedaluslabs.client;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the time limits (on virtual time) and for unreachable servers, without retries
 * (retries are covered by {@link ResilienceTests}).
 */
@Timeout(60)
class TimeoutsAndConnectionTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final MockWebServer server = new MockWebServer();

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = client(Timeouts.DEFAULTS.withTotal(Duration.ofMinutes(10)));
	}

	private DedalusClient client(Timeouts timeouts) {
		return DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl(this.server.url("/").toString())
			.timeouts(timeouts)
			.timer(this.time)
			.maxRetries(0)
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
		this.time.dispose();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("Are you there?")).build();
	}

	@Test
	void responseTimeoutFiresWhenHeadersNeverCome() {
		this.server.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body("{}").build());
		StepVerifier.withVirtualTime(() -> this.client.chat().completions().stream(request()), () -> this.time, 1)
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(61))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiTimeoutException.class)
				.hasMessageContaining("No response headers arrived within 1m")
				.hasMessageContaining("dedalus.timeout.response"))
			.verify(WAIT);
	}

	@Test
	void idleTimeoutFiresWhenAStreamStalls() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "thinking"));
		this.server.enqueue(body.response());
		try {
			StepVerifier.withVirtualTime(() -> this.client.chat().completions().stream(request()), () -> this.time, 10)
				.expectNextCount(1)
				.thenAwait(Duration.ofSeconds(121))
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiTimeoutException.class)
					.hasMessageContaining("sent nothing for 2m, the idle timeout")
					.hasMessageContaining("dedalus.timeout.idle"))
				.verify(WAIT);
		}
		finally {
			body.release();
		}
	}

	@Test
	void idleTimeoutDoesNotFireBeforeItsLimit() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "a"));
		this.server.enqueue(body.response());
		try {
			StepVerifier.withVirtualTime(() -> this.client.chat().completions().stream(request()), () -> this.time, 10)
				.expectNextCount(1)
				.expectNoEvent(Duration.ofSeconds(119))
				.thenCancel()
				.verify(WAIT);
		}
		finally {
			body.release();
		}
	}

	@Test
	void totalTimeoutCutsALongOperation() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "slow"));
		this.server.enqueue(body.response());
		this.client.close();
		this.client = client(Timeouts.DEFAULTS.withTotal(Duration.ofSeconds(30)));
		try {
			StepVerifier.withVirtualTime(() -> this.client.chat().completions().stream(request()), () -> this.time, 10)
				.expectNextCount(1)
				.thenAwait(Duration.ofSeconds(31))
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiTimeoutException.class)
					.hasMessageContaining("total timeout of 30s"))
				.verify(WAIT);
		}
		finally {
			body.release();
		}
	}

	@Test
	void refusedConnectionIsAConnectionError() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (DedalusClient unreachable = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl("http://127.0.0.1:" + port)
			.maxRetries(0)
			.build()) {
			StepVerifier.create(unreachable.chat().completions().stream(request()))
				.expectErrorSatisfies((error) -> assertThat(error).isExactlyInstanceOf(ApiConnectionException.class)
					.hasMessageContaining("Could not connect to http://127.0.0.1:" + port)
					.hasMessageContaining("dedalus.base-url"))
				.verify(WAIT);
		}
	}

}
