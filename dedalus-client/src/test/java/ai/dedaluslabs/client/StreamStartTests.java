package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.RateLimitException;
import ai.dedaluslabs.client.error.StreamErrorException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link StreamStart#whenAccepted}: the stream is handed over when the API's 2xx headers arrive,
 * before the first event; a failure before that is the start's error, one after it the stream's;
 * and nothing is read, nor left open, that no one asked for.
 */
@Timeout(60)
class StreamStartTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final MockWebServer server = new MockWebServer();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = client(0);
	}

	private DedalusClient client(int maxRetries) {
		return DedalusClient.builder()
			.apiKey("sk-test-start-0001")
			.baseUrl(this.server.url("/").toString())
			.maxRetries(maxRetries)
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

	private Flux<ChatCompletionChunk> stream() {
		return this.client.chat().completions().stream(request());
	}

	private static String content(ChatCompletionChunk chunk) {
		return chunk.choices().get(0).delta().content();
	}

	@Test
	void theStreamIsHandedOverWhenTheHeadersArriveBeforeTheFirstEvent() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.HEADERS_FIRST, Sse.chunk(0, "Hi"), "[DONE]");
		this.server.enqueue(body.response());
		// The server writes nothing past its headers until allowed: only the headers can start it.
		Flux<ChatCompletionChunk> chunks = StreamStart.whenAccepted(stream()).block(WAIT);
		assertThat(chunks).isNotNull();
		body.allow();
		body.allow();
		StepVerifier.create(chunks).assertNext((chunk) -> assertThat(content(chunk)).isEqualTo("Hi"))
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void aRefusalIsTheStartsErrorWithItsStatus() {
		this.server.enqueue(Sse.error(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}"));
		StepVerifier.create(StreamStart.whenAccepted(stream()))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(RateLimitException.class)
				.hasMessageContaining("slow down"))
			.verify(WAIT);
	}

	@Test
	void aRetriedRefusalStartsOnceWithTheAttemptThatWasAccepted() {
		this.client.close();
		this.client = client(1);
		this.server.enqueue(Sse.error(503, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}")
			.newBuilder()
			.addHeader("retry-after-ms", "1")
			.build());
		this.server.enqueue(Sse.ok(Sse.answer("Hello")));
		Flux<ChatCompletionChunk> chunks = StreamStart.whenAccepted(stream()).block(WAIT);
		assertThat(chunks).isNotNull();
		StepVerifier.create(chunks.filter((chunk) -> !chunk.choices().isEmpty()).take(1))
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo("Hello"))
			.expectComplete()
			.verify(WAIT);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void anErrorEventAfterTheHeadersIsTheStreamsError() {
		this.server.enqueue(Sse.ok("event: error\ndata: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"));
		Flux<ChatCompletionChunk> chunks = StreamStart.whenAccepted(stream()).block(WAIT);
		assertThat(chunks).isNotNull();
		StepVerifier.create(chunks)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(StreamErrorException.class)
				.hasMessageContaining("overloaded"))
			.verify(WAIT);
	}

	@Test
	void nothingIsRequestedUntilTheHandedOverStreamIsAsked() {
		this.server.enqueue(Sse.ok(Sse.answer("One", "Two")));
		List<Long> requests = new CopyOnWriteArrayList<>();
		Flux<ChatCompletionChunk> chunks = StreamStart.whenAccepted(stream().doOnRequest(requests::add)).block(WAIT);
		assertThat(chunks).isNotNull();
		assertThat(requests).as("requested before anyone asked").isEmpty();
		StepVerifier.create(chunks, 1)
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo("One"))
			.then(() -> assertThat(requests).containsExactly(1L))
			.thenRequest(Long.MAX_VALUE)
			.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo("Two"))
			.expectNextCount(2)
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void cancellingTheStartBeforeTheHeadersClosesTheConnection() throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response().newBuilder().headersDelay(30, TimeUnit.SECONDS).build());
		Disposable start = StreamStart.whenAccepted(stream()).subscribe();
		assertThat(this.server.takeRequest(10, TimeUnit.SECONDS)).as("the request went out at once").isNotNull();
		assertThat(this.client.connectionPool().active()).isEqualTo(1);
		start.dispose();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().allocated()).isZero());
	}

	@Test
	void cancellingTheHandedOverStreamBeforeItsFirstEventClosesTheConnection() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.HEADERS_FIRST, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response());
		Flux<ChatCompletionChunk> chunks = StreamStart.whenAccepted(stream()).block(WAIT);
		assertThat(chunks).isNotNull();
		assertThat(this.client.connectionPool().active()).isEqualTo(1);
		chunks.subscribe().dispose();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().allocated()).isZero());
		body.allow();
	}

	@Test
	void theHandedOverStreamCanBeReadOnce() {
		this.server.enqueue(Sse.ok(Sse.answer("Hi")));
		Flux<ChatCompletionChunk> chunks = StreamStart.whenAccepted(stream()).block(WAIT);
		assertThat(chunks).isNotNull();
		StepVerifier.create(chunks).expectNextCount(3).expectComplete().verify(WAIT);
		StepVerifier.create(chunks)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("read only once"))
			.verify(WAIT);
	}

	@Test
	void eachSubscriptionOfTheStartSendsItsOwnRequest() {
		this.server.enqueue(Sse.ok(Sse.answer("One")));
		this.server.enqueue(Sse.ok(Sse.answer("Two")));
		Mono<Flux<ChatCompletionChunk>> start = StreamStart.whenAccepted(stream());
		for (String word : List.of("One", "Two")) {
			StepVerifier.create(start.flatMapMany((chunks) -> chunks).take(1))
				.assertNext((chunk) -> assertThat(content(chunk)).isEqualTo(word))
				.expectComplete()
				.verify(WAIT);
		}
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void aStreamThatCannotTellWhenItWasAcceptedIsHandedOverAtOnce() {
		AtomicInteger subscriptions = new AtomicInteger();
		Flux<Integer> elsewhere = Flux.just(1, 2).doOnSubscribe((subscription) -> subscriptions.incrementAndGet());
		StepVerifier.create(StreamStart.whenAccepted(elsewhere).flatMapMany((numbers) -> numbers))
			.expectNext(1, 2)
			.expectComplete()
			.verify(WAIT);
		StepVerifier.create(StreamStart.whenAccepted(Flux.never())).expectNextCount(1).expectComplete().verify(WAIT);
		assertThat(subscriptions).hasValue(1);
	}

	@Test
	void aStreamThatFailsBeforeItCouldBeAcceptedFailsTheStart() {
		StepVerifier.create(StreamStart.whenAccepted(Flux.error(new IllegalArgumentException("bad request"))))
			.expectErrorMessage("bad request")
			.verify(WAIT);
	}

	@Test
	void anInvalidRequestAmountFailsTheStartAndSendsNothing() throws Exception {
		this.server.enqueue(Sse.ok(Sse.answer("Hi")));
		List<Throwable> errors = new CopyOnWriteArrayList<>();
		StreamStart.whenAccepted(stream()).subscribe(new reactor.core.publisher.BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
				subscription.request(0);
			}

			@Override
			protected void hookOnError(Throwable error) {
				errors.add(error);
			}
		});
		assertThat(errors).singleElement()
			.isInstanceOf(IllegalArgumentException.class)
			.satisfies((error) -> assertThat(error.getMessage()).contains("§3.9"));
		assertThat(this.client.connectionPool().allocated()).isZero();
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void aStartThatIsNeverAskedHandsNothingOver() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.HEADERS_FIRST, Sse.chunk(0, "Hi"));
		this.server.enqueue(body.response());
		List<Flux<ChatCompletionChunk>> received = new CopyOnWriteArrayList<>();
		reactor.core.publisher.BaseSubscriber<Flux<ChatCompletionChunk>> patient = new reactor.core.publisher.BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
				// no request
			}

			@Override
			protected void hookOnNext(Flux<ChatCompletionChunk> value) {
				received.add(value);
			}
		};
		StreamStart.whenAccepted(stream()).subscribe(patient);
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().active()).isEqualTo(1));
		assertThat(received).isEmpty();
		patient.request(1);
		await().atMost(WAIT).untilAsserted(() -> assertThat(received).hasSize(1));
		patient.dispose();
		received.get(0).subscribe().dispose();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.client.connectionPool().allocated()).isZero());
		body.allow();
	}

}
