package ai.dedaluslabs.spring.proxy;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import reactor.core.Disposable;
import reactor.core.Disposables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream the endpoint's rules govern keeps neither the caller's request nor its upstream copy
 * while it is open: a conversation is often tens of KiB, and an endpoint holds thousands of
 * streams.
 */
@SpringBootTest(classes = ProxyApplications.App.class,
		properties = { "spring.main.web-application-type=reactive", "dedalus.proxy.enabled=true",
				"dedalus.max-retries=0", "dedalus.proxy.allowed-models=openai/*" })
@AutoConfigureDedalusMock
@Timeout(60)
class ProxyRetentionTests {

	private static final String HISTORY = "Stately, plump Buck Mulligan came from the stairhead. ".repeat(400);

	@Autowired
	DedalusProxy proxy;

	@Autowired
	DedalusMockServer dedalus;

	/** A governed stream open at its first chunk; the message is reachable only from the stream. */
	private WeakReference<ChatMessage> openStream(CountDownLatch firstChunk, Disposable.Swap subscription) {
		ChatMessage history = ChatMessage.user(HISTORY);
		ChatCompletionRequest request = ChatCompletionRequest.builder().model("openai/gpt-5-nano")
			.addMessage(history)
			.build();
		subscription.update(this.proxy.streamFor(request, "address:203.0.113.7")
			.subscribe((chunk) -> firstChunk.countDown()));
		return new WeakReference<>(history);
	}

	@Test
	void anOpenGovernedStreamLetsGoOfTheRequest() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Introibo").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		CountDownLatch firstChunk = new CountDownLatch(1);
		Disposable.Swap subscription = Disposables.swap();
		WeakReference<ChatMessage> history = openStream(firstChunk, subscription);
		try {
			assertThat(firstChunk.await(10, TimeUnit.SECONDS)).as("first chunk").isTrue();
			assertThat(this.dedalus.takeRequest(Duration.ofSeconds(5)).json().at("/messages/0/content").asString())
				.isEqualTo(HISTORY);
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				System.gc();
				return history.get() == null;
			});
			assertThat(subscription.isDisposed()).as("the stream is still open").isFalse();
		}
		finally {
			subscription.dispose();
		}
	}

	@Test
	void anOpenEndpointStreamLetsGoOfItsFirstChunk() throws Exception {
		// The endpoint looks at a stream's first signal to answer an upstream refusal with its own
		// status; the stream then runs for minutes, and must not keep that first chunk.
		this.dedalus.enqueue(StreamScript.create().text("Introibo ad altare").untilClientCloses()
			.delayPerChunk(Duration.ofMillis(50)));
		byte[] body = "{\"model\":\"openai/gpt-5-nano\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
			.getBytes(StandardCharsets.UTF_8);
		ProxyResult result = this.proxy.completions(body, "address:203.0.113.8").block(Duration.ofSeconds(10));
		assertThat(result).isInstanceOf(ProxyResult.Stream.class);
		CountDownLatch firstChunk = new CountDownLatch(1);
		AtomicReference<WeakReference<RawChatCompletionChunk>> first = new AtomicReference<>();
		Disposable subscription = ((ProxyResult.Stream) result).chunks().subscribe((chunk) -> {
			first.compareAndSet(null, new WeakReference<>(chunk));
			firstChunk.countDown();
		});
		try {
			assertThat(firstChunk.await(10, TimeUnit.SECONDS)).as("first chunk").isTrue();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				System.gc();
				return first.get().get() == null;
			});
			assertThat(subscription.isDisposed()).as("the stream is still open").isFalse();
		}
		finally {
			subscription.dispose();
		}
	}

}
