package ai.dedaluslabs.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One client with default settings carries 1,600 streams open at the same time: the server holds
 * every stream open until all of them have arrived, so none can finish before the last one starts.
 * (Reactor Netty's shared pool of 500 connections and 1,000 waiting requests would fail the 1,501st.)
 */
@Timeout(180)
class ManyStreamsTests {

	private static final int STREAMS = 1600;

	private final MockWebServer server = new MockWebServer();

	private final CountDownLatch allOpen = new CountDownLatch(STREAMS);

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				ManyStreamsTests.this.allOpen.countDown();
				return new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "text/event-stream")
					.body(new HeldOpenBody(ManyStreamsTests.this.allOpen))
					.removeHeader("Content-Length")
					.addHeader("Transfer-Encoding", "chunked")
					.build();
			}
		});
		this.server.start();
		this.client = DedalusClient.builder().apiKey("sk-test").baseUrl(this.server.url("/").toString()).build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	@Test
	void sixteenHundredConcurrentStreamsFromOneClientAllComplete() {
		ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user("go")).build();
		List<Long> counts = Flux.range(0, STREAMS)
			.flatMap((i) -> this.client.chat().completions().stream(request).count(), STREAMS)
			.collectList()
			.block(Duration.ofSeconds(150));
		assertThat(this.allOpen.getCount()).as("every stream was open at once").isZero();
		assertThat(counts).hasSize(STREAMS).containsOnly(2L);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.connectionPool().active() == 0);
	}

	/** Writes the first chunk, waits until every stream is open, then finishes. */
	private static final class HeldOpenBody implements MockResponseBody {

		private final CountDownLatch allOpen;

		HeldOpenBody(CountDownLatch allOpen) {
			this.allOpen = allOpen;
		}

		@Override
		public long getContentLength() {
			return -1;
		}

		@Override
		public void writeTo(BufferedSink sink) throws IOException {
			write(sink, Sse.chunk(0, "open"));
			try {
				this.allOpen.await(120, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			write(sink, Sse.finish(0, "stop"));
			write(sink, "[DONE]");
			sink.writeUtf8("0\r\n\r\n");
			sink.flush();
		}

		private static void write(BufferedSink sink, String event) throws IOException {
			byte[] bytes = ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
			sink.writeUtf8(Integer.toHexString(bytes.length)).writeUtf8("\r\n").write(bytes).writeUtf8("\r\n");
			sink.flush();
		}

	}

}
