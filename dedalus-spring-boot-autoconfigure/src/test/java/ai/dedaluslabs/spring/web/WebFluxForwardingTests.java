package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.List;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.StreamFault;
import ai.dedaluslabs.test.StreamScript;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forwarding on WebFlux (Netty), with a real HTTP client on a random port and a scripted API.
 */
@SpringBootTest(classes = ForwardingApplications.WebFlux.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "dedalus.max-retries=0",
				// no heartbeat would flush a held-back event during a test
				"dedalus.sse.heartbeat=10m" })
@AutoConfigureDedalusMock
@Timeout(60)
class WebFluxForwardingTests {

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	private static final String CHUNK_PREFIX = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":1700000000,\"model\":\"openai/gpt-5-nano\",\"choices\":[{\"index\":0,\"delta\":";

	@Test
	void eventsAreOpenAiCompatible() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Hi there").usage(3, 2));
		try (RawHttp http = new RawHttp(this.port, "/events")) {
			String response = http.readAll();
			assertThat(response).containsIgnoringCase("content-type: text/event-stream")
				.containsIgnoringCase("cache-control: no-cache")
				.containsIgnoringCase("x-accel-buffering: no");
			String body = RawHttp.body(response);
			assertThat(body).startsWith("data: {\"id\":\"chatcmpl-mock\"")
				.contains("data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
						+ "\"model\":\"openai/gpt-5-nano\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"}}]}\n\n")
				.contains("\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n")
				.endsWith("data: [DONE]\n\n");
		}
	}

	@Test
	void eventStreamRawWritesTheApisBytes() throws Exception {
		this.dedalus.enqueue(StreamScript.create().tokens("Hi", " \u00e9t\u00e9 \ud83c\udf0d").withoutUsage());
		try (RawHttp http = new RawHttp(this.port, "/events/bytes")) {
			String response = http.readAll();
			assertThat(response).containsIgnoringCase("content-type: text/event-stream")
				.containsIgnoringCase("cache-control: no-cache")
				.containsIgnoringCase("x-accel-buffering: no");
			assertThat(RawHttp.body(response)).contains("data: " + CHUNK_PREFIX
					+ "{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n")
				.contains("{\"content\":\" \u00e9t\u00e9 \ud83c\udf0d\"}")
				.endsWith("data: [DONE]\n\n");
		}
	}

	@Test
	void eventStreamRawWritesEachEventAsItArrives() throws Exception {
		// The upstream falls silent after the third chunk: the events can be read only if each was
		// flushed as it came.
		this.dedalus.enqueue(StreamScript.create().tokens("Hi", " there").fault(StreamFault.stall(3)));
		try (RawHttp http = new RawHttp(this.port, "/events/bytes")) {
			assertThat(http.readUntil("\"content\":\" there\"")).contains("\"content\":\"Hi\"");
		}
	}

	@Test
	void textThatLooksLikeSseCannotForgeAnEvent() throws Exception {
		this.dedalus.enqueue(StreamScript.create().tokens("a\n\ndata: forged\r\nevent: error\rz").withoutUsage());
		try (RawHttp http = new RawHttp(this.port, "/events/text")) {
			assertThat(RawHttp.body(http.readAll())).isEqualTo(
					"data: a\ndata: \ndata: data: forged\ndata: event: error\ndata: z\n\nevent:done\ndata: [DONE]\n\n");
		}
	}

	@Test
	void upstreamFailureEndsWithOneErrorEvent() throws Exception {
		this.dedalus.enqueue(MockReply.error(401).message("Invalid API key").type("authentication_error"));
		try (RawHttp http = new RawHttp(this.port, "/events")) {
			assertThat(RawHttp.body(http.readAll())).isEqualTo(
					"event:error\ndata: {\"error\":{\"message\":\"Invalid API key\",\"type\":\"authentication_error\","
							+ "\"param\":null,\"code\":null}}\n\n");
		}
	}

	@Test
	void everyBufferOfACompleteStreamIsWrittenAsItIsAndReleased() throws Exception {
		ForwardingApplications.HANDED_OVER.clear();
		this.dedalus.enqueue(StreamScript.create().tokens("Hi", " there").withoutUsage());
		try (RawHttp http = new RawHttp(this.port, "/events/bytes/recorded")) {
			assertThat(RawHttp.body(http.readAll())).endsWith("data: [DONE]\n\n");
		}
		List<ForwardingApplications.HandedOver> handedOver = ForwardingApplications.HANDED_OVER;
		// the role chunk, two tokens, the finish chunk and [DONE]
		assertThat(handedOver).hasSizeGreaterThanOrEqualTo(5)
			.allSatisfy((handed) -> assertThat(handed.direct()).as("a direct buffer, which the native transport "
					+ "writes without copying").isTrue());
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handedOver)
			.allSatisfy((handed) -> assertThat(handed.buffer().refCnt()).as("released once written").isZero()));
	}

	@Test
	void theBuffersOfAStreamWhoseBrowserLeftAreReleased() throws Exception {
		ForwardingApplications.HANDED_OVER.clear();
		this.dedalus.enqueue(StreamScript.create().text("Once").untilClientCloses().delayPerChunk(Duration.ofMillis(5)));
		int before = this.dedalus.clientDisconnects();
		try (RawHttp http = new RawHttp(this.port, "/events/bytes/recorded")) {
			http.readUntil("\"content\":\"Once\"");
		}
		assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(10))).isTrue();
		List<ForwardingApplications.HandedOver> handedOver = ForwardingApplications.HANDED_OVER;
		assertThat(handedOver).isNotEmpty();
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handedOver)
			.allSatisfy((handed) -> assertThat(handed.buffer().refCnt()).as("released, written or not").isZero()));
	}

	@Test
	void closedBrowserCancelsTheUpstreamRequestAtOnce() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Once").untilClientCloses().delayPerChunk(Duration.ofMillis(20)));
		int before = this.dedalus.clientDisconnects();
		try (RawHttp http = new RawHttp(this.port, "/events")) {
			http.readUntil("\"content\":\"Once\"");
		}
		assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(10)))
			.as("the API saw its connection closed after the browser left").isTrue();
	}

}
