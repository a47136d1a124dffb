package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.error.RateLimitException;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SseFrames}' event sequence on virtual time, seen through the WebFlux forwarder:
 * heartbeats, the end, errors and the time limit.
 */
class SseFramesTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	@AfterEach
	void stop() {
		this.time.dispose();
	}

	private DedalusServerSentEventForwarder forwarder(Duration timeout) {
		return new DedalusServerSentEventForwarder(
				new SseFrames(WireJson.defaultMapper(), Duration.ofSeconds(15), timeout, this.time));
	}

	private static ChatCompletionChunk chunk(String content) {
		return new ChatCompletionChunk("c1", "chat.completion.chunk", 1, "m",
				List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, content, null, List.of()),
						null, null)),
				null, null, null);
	}

	private static boolean isHeartbeat(ServerSentEvent<String> event) {
		return "keepalive".equals(event.comment()) && event.data() == null;
	}

	@Test
	void heartbeatAfterEverySilenceOfTheInterval() {
		Flux<ChatCompletionChunk> chunks = Flux.concat(Mono.delay(Duration.ofSeconds(40), this.time).map((t) -> chunk("a")),
				Mono.delay(Duration.ofSeconds(20), this.time).map((t) -> chunk("b")));
		StepVerifier.withVirtualTime(() -> forwarder(null).toServerSentEvents(chunks).getBody(), () -> this.time,
				Long.MAX_VALUE)
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(15))
			.assertNext((event) -> assertThat(isHeartbeat(event)).as("heartbeat at 15 s").isTrue())
			.expectNoEvent(Duration.ofSeconds(15))
			.assertNext((event) -> assertThat(isHeartbeat(event)).as("heartbeat at 30 s").isTrue())
			.expectNoEvent(Duration.ofSeconds(10))
			.assertNext((event) -> assertThat(event.data()).as("chunk at 40 s").contains("\"content\":\"a\""))
			.expectNoEvent(Duration.ofSeconds(15))
			.assertNext((event) -> assertThat(isHeartbeat(event)).as("15 s after the chunk, not 45 s after start").isTrue())
			.expectNoEvent(Duration.ofSeconds(5))
			.assertNext((event) -> assertThat(event.data()).contains("\"content\":\"b\""))
			.assertNext((event) -> assertThat(event.data()).isEqualTo(" [DONE]"))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void chunksThenDoneWithoutHeartbeatsWhenBusy() {
		StepVerifier.withVirtualTime(() -> forwarder(null).toServerSentEvents(Flux.just(chunk("a"), chunk("b"))).getBody(),
				() -> this.time, Long.MAX_VALUE)
			.assertNext((event) -> assertThat(event.data())
				.isEqualTo(" {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":"
						+ "[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}"))
			.assertNext((event) -> assertThat(event.data()).contains("\"content\":\"b\""))
			.assertNext((event) -> {
				assertThat(event.data()).isEqualTo(" [DONE]");
				assertThat(event.event()).isNull();
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void failureEndsWithOneSafeErrorEvent() {
		RateLimitException error = new RateLimitException(429, "req_1", "{}", new ApiError("Slow down", "rate_limit_error",
				null, null), Map.of());
		Flux<ChatCompletionChunk> chunks = Flux.concat(Flux.just(chunk("a")), Flux.error(error));
		StepVerifier.withVirtualTime(() -> forwarder(null).toServerSentEvents(chunks).getBody(), () -> this.time,
				Long.MAX_VALUE)
			.assertNext((event) -> assertThat(event.data()).contains("\"content\":\"a\""))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("error");
				assertThat(event.data()).isEqualTo(" {\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_error\",\"param\":null,"
						+ "\"code\":null}}");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void unexpectedFailureSaysNothingInternal() {
		Flux<ChatCompletionChunk> chunks = Flux.error(new IllegalStateException("secret internal state sk-123"));
		StepVerifier.withVirtualTime(() -> forwarder(null).toServerSentEvents(chunks).getBody(), () -> this.time,
				Long.MAX_VALUE)
			.assertNext((event) -> assertThat(event.data())
				.isEqualTo(" {\"error\":{\"message\":\"The request failed\",\"type\":\"server_error\",\"param\":null,"
						+ "\"code\":null}}"))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void timeLimitEndsAStreamWithATimeoutEvent() {
		Flux<ChatCompletionChunk> endless = Flux.interval(Duration.ofSeconds(1), this.time).map((i) -> chunk("x"));
		StepVerifier.withVirtualTime(() -> forwarder(Duration.ofSeconds(30)).toServerSentEvents(endless).getBody(),
				() -> this.time, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(31))
			.expectNextCount(29)
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("error");
				assertThat(event.data()).contains("\"type\":\"timeout\"");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void textModeSendsOnlyTheTextAndANamedEnd() {
		Flux<ChatCompletionChunk> chunks = Flux.just(chunk("Stately"), chunk(""), chunk(" plump\nBuck"));
		StepVerifier.withVirtualTime(() -> forwarder(null).toTextServerSentEvents(chunks).getBody(), () -> this.time,
				Long.MAX_VALUE)
			.assertNext((event) -> assertThat(event.data()).isEqualTo(" Stately"))
			.assertNext((event) -> assertThat(event.data()).isEqualTo("  plump\n Buck"))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("done");
				assertThat(event.data()).isEqualTo(" [DONE]");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/**
	 * What the caller's stream holds (here a lambda of its assembly holding a payload), the way a
	 * client stream holds its request.
	 */
	private static Flux<ChatCompletionChunk> holding(Object payload) {
		return Flux.defer(() -> {
			assertThat(payload).isNotNull();
			return Flux.never();
		});
	}

	@Test
	void anOpenStreamDoesNotKeepTheCallersAssembly() {
		// Kept the way a framework keeps a handler's return value while it writes the response.
		Object[] payload = { new byte[64 * 1024] };
		java.lang.ref.WeakReference<Object> held = new java.lang.ref.WeakReference<>(payload[0]);
		Flux<ServerSentEvent<String>> body = forwarder(null).toServerSentEvents(holding(payload[0])).getBody();
		payload[0] = null;
		reactor.core.Disposable subscription = body.subscribe();
		try {
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
				System.gc();
				return held.get() == null;
			});
			assertThat(subscription.isDisposed()).as("the stream is still open").isFalse();
			assertThat(body).as("the response body is still held").isNotNull();
		}
		finally {
			subscription.dispose();
		}
	}

	@Test
	void theFramesOfOneResponseAreSubscribedOnce() {
		Flux<ServerSentEvent<String>> body = forwarder(null).toServerSentEvents(Flux.just(chunk("a"))).getBody();
		StepVerifier.create(body).expectNextCount(2).expectComplete().verify(Duration.ofSeconds(5));
		StepVerifier.create(body)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("subscribed once")
				.hasMessageContaining("call the forwarder again"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void textIsSplitAtEveryKindOfLineEnd() {
		assertThat(SseFrames.textFrame("a\r\nb\rc\nd\n\ndata: x").lines())
			.containsExactly("a", "b", "c", "d", "", "data: x");
	}

	@Test
	void nonPositiveHeartbeatIsRefusedWithThePropertyName() {
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> new SseFrames(WireJson.defaultMapper(), Duration.ZERO, null, this.time))
			.withMessageContaining("dedalus.sse.heartbeat");
	}

	@Test
	void responseCarriesTheStreamingHeaders() {
		var response = forwarder(null).toServerSentEvents(Flux.empty());
		assertThat(response.getHeaders().getContentType()).hasToString("text/event-stream");
		assertThat(response.getHeaders().getCacheControl()).isEqualTo("no-cache");
		assertThat(response.getHeaders().getFirst("X-Accel-Buffering")).isEqualTo("no");
	}

}
