package ai.dedaluslabs.client;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.internal.ApiTransport;
import ai.dedaluslabs.client.internal.CallSettings;
import ai.dedaluslabs.client.internal.RequestBody;
import ai.dedaluslabs.client.internal.RetryPolicy;
import ai.dedaluslabs.client.internal.Secrets;
import ai.dedaluslabs.client.internal.TransportSettings;
import ai.dedaluslabs.client.json.WireJson;
import io.micrometer.observation.ObservationRegistry;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An open stream keeps neither its request nor its encoded body once the response has started:
 * a conversation's body is often tens of KiB, and a server holds thousands of streams. The
 * transport keeps the body while an attempt may still need it (a retry sends it again). Yet the
 * publisher stays cold: subscribing again sends the same request again.
 */
@Timeout(60)
class OpenStreamRetentionTests {

	private static final String HISTORY = "Stately, plump Buck Mulligan came from the stairhead. ".repeat(400);

	private final MockWebServer server = new MockWebServer();

	private final AtomicInteger encodings = new AtomicInteger();

	private final AtomicReference<WeakReference<byte[]>> lastEncoded = new AtomicReference<>();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private DedalusClient client(boolean observed) {
		DedalusClient.Builder builder = DedalusClient.builder().apiKey("sk-test").baseUrl(this.server.url("/").toString());
		return observed ? builder.observationRegistry(ObservationRegistry.create()).build() : builder.build();
	}

	/** A stream open at its first chunk, the request reachable only from the stream's own objects. */
	private static WeakReference<ChatCompletionRequest> openStream(DedalusClient client, boolean raw,
			CountDownLatch firstChunk, Disposable.Swap subscription) {
		ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user(HISTORY)).build();
		Flux<?> stream = raw ? client.chat().completions().streamRaw(request)
				: client.chat().completions().stream(request);
		subscription.update(stream.subscribe((chunk) -> firstChunk.countDown()));
		return new WeakReference<>(request);
	}

	@ParameterizedTest(name = "observed: {0}, raw: {1}")
	@CsvSource({ "false, false", "false, true", "true, false", "true, true" })
	void anOpenStreamLetsGoOfItsRequest(boolean observed, boolean raw) throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "Introibo"));
		this.server.enqueue(body.response());
		try (DedalusClient client = client(observed)) {
			CountDownLatch firstChunk = new CountDownLatch(1);
			Disposable.Swap subscription = Disposables.swap();
			WeakReference<ChatCompletionRequest> request = openStream(client, raw, firstChunk, subscription);
			assertThat(firstChunk.await(10, TimeUnit.SECONDS)).as("first chunk").isTrue();
			RecordedRequest sent = this.server.takeRequest(5, TimeUnit.SECONDS);
			assertThat(sent.getBody().utf8()).contains(HISTORY.strip());
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				System.gc();
				return request.get() == null;
			});
			assertThat(subscription.isDisposed()).as("the stream is still open").isFalse();
			subscription.dispose();
			body.release();
		}
	}

	@ParameterizedTest(name = "observed: {0}")
	@ValueSource(booleans = { false, true })
	void subscribingAgainSendsTheSameRequestAgain(boolean observed) throws Exception {
		this.server.enqueue(Sse.ok(Sse.answer("a")));
		this.server.enqueue(Sse.ok(Sse.answer("b")));
		try (DedalusClient client = client(observed)) {
			Flux<ChatCompletionChunk> stream = client.chat()
				.completions()
				.stream(ChatCompletionRequest.builder().addMessage(ChatMessage.user(HISTORY)).build());
			stream.blockLast(Duration.ofSeconds(10));
			stream.blockLast(Duration.ofSeconds(10));
			String first = this.server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8();
			String second = this.server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8();
			assertThat(first).contains(HISTORY.strip()).isEqualTo(second);
		}
	}

	private ApiTransport transport() {
		String url = this.server.url("/").toString();
		return new ApiTransport(WebClient.builder().baseUrl(url).build(),
				new TransportSettings(URI.create(url), 1 << 20, Duration.ofSeconds(5), Secrets.none()),
				WireJson.defaultMapper(), new RetryPolicy(() -> 0.0, ZonedDateTime::now), Schedulers.parallel());
	}

	/** Encodes a new array each time, and remembers it only weakly. */
	private byte[] encode() {
		this.encodings.incrementAndGet();
		byte[] bytes = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + HISTORY + "\"}]}")
			.getBytes(StandardCharsets.UTF_8);
		this.lastEncoded.set(new WeakReference<>(bytes));
		return bytes;
	}

	@Test
	void anOpenStreamLetsGoOfItsBodyOnceTheResponseStarted() throws Exception {
		this.server.enqueue(Sse.error(503, "{}").newBuilder().addHeader("retry-after-ms", "10").build());
		ScriptedBody open = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "Introibo"));
		this.server.enqueue(open.response());
		Flux<ChatCompletionChunk> stream = transport().stream("/v1/chat/completions",
				RequestBody.bodies(this::encode).get(), (data, offset, length, chunk) -> chunk,
				new CallSettings(1, Duration.ofSeconds(10), Duration.ofSeconds(30), null));
		CountDownLatch firstChunk = new CountDownLatch(1);
		Disposable subscription = stream.subscribe((chunk) -> firstChunk.countDown());
		try {
			assertThat(firstChunk.await(10, TimeUnit.SECONDS)).as("first chunk").isTrue();
			String refused = this.server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8();
			String retried = this.server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8();
			assertThat(retried).as("the retry sends the same body").contains(HISTORY.strip()).isEqualTo(refused);
			assertThat(this.encodings).as("encoded once for both attempts").hasValue(1);
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				System.gc();
				return this.lastEncoded.get().get() == null;
			});
			assertThat(subscription.isDisposed()).as("the stream is still open").isFalse();
			assertThat(stream).as("the publisher is still held").isNotNull();
		}
		finally {
			subscription.dispose();
			open.release();
		}
	}

}
