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
import ai.dedaluslabs.client.internal.ApiTransport;
import ai.dedaluslabs.client.internal.CallSettings;
import ai.dedaluslabs.client.internal.RequestBody;
import ai.dedaluslabs.client.internal.RetryPolicy;
import ai.dedaluslabs.client.internal.Secrets;
import ai.dedaluslabs.client.internal.TransportSettings;
import ai.dedaluslabs.client.json.WireJson;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transport keeps a call's body while an attempt may still need it (a retry sends it again)
 * and lets go of it once a response has started, even while the call's publisher is still held:
 * an open stream does not keep its request's bytes.
 */
@Timeout(60)
class RequestBodyReleaseTests {

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
