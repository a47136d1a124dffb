package ai.dedaluslabs.spring.web;

import java.time.Duration;

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
 * Forwarding on Spring MVC (Tomcat), with a real HTTP client on a random port and a scripted API.
 */
@SpringBootTest(classes = ForwardingApplications.Mvc.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.max-retries=0", "dedalus.sse.heartbeat=100ms", "spring.mvc.async.request-timeout=500ms" })
@AutoConfigureDedalusMock
@Timeout(60)
class MvcForwardingTests {

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	private static final String CHUNK_PREFIX = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
			+ "\"model\":\"openai/gpt-5-nano\",\"choices\":[{\"index\":0,\"delta\":";

	@Test
	void emitterWritesOpenAiCompatibleEvents() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Hi there").withoutUsage());
		try (RawHttp http = new RawHttp(this.port, "/emitter")) {
			String response = http.readAll();
			assertThat(response).containsIgnoringCase("content-type: text/event-stream")
				.containsIgnoringCase("cache-control: no-cache")
				.containsIgnoringCase("x-accel-buffering: no");
			assertThat(RawHttp.body(response).replace(": keepalive\n\n", "")).isEqualTo(
					"data: " + CHUNK_PREFIX + "{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
					+ "data: " + CHUNK_PREFIX + "{\"content\":\"Hi\"}}]}\n\n"
					+ "data: " + CHUNK_PREFIX + "{\"content\":\" there\"}}]}\n\n"
					+ "data: " + CHUNK_PREFIX + "{},\"finish_reason\":\"stop\"}]}\n\n"
					+ "data: [DONE]\n\n");
		}
	}

	@Test
	void rawEmitterRelaysTheApisBytes() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Hi").withoutUsage());
		try (RawHttp http = new RawHttp(this.port, "/emitter/raw")) {
			assertThat(RawHttp.body(http.readAll()))
				.contains("data: " + CHUNK_PREFIX + "{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
		}
	}

	@Test
	void theStreamEndsWithoutAnotherDispatchAndTheEmittersCallbacksRun() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Hi").withoutUsage());
		int completionsBefore = ForwardingApplications.EMITTER_COMPLETIONS.get();
		try (RawHttp http = new RawHttp(this.port, "/emitter/raw/callback")) {
			assertThat(RawHttp.body(http.readAll())).contains("\"content\":\"Hi\"").endsWith("data: [DONE]\n\n");
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> ForwardingApplications.EMITTER_COMPLETIONS.get() == completionsBefore + 1);
		assertThat(ForwardingApplications.ASYNC_DISPATCHES).as("async dispatches by path")
			.doesNotContainKey("/emitter/raw/callback");
	}

	@Test
	void rawEmitterWritesEachEventAsItArrives() throws Exception {
		// The upstream falls silent after the third chunk: the events can be read only if each was
		// flushed as it came.
		this.dedalus.enqueue(StreamScript.create().tokens("Hi", " there").fault(StreamFault.stall(3)));
		try (RawHttp http = new RawHttp(this.port, "/emitter/raw")) {
			assertThat(http.readUntil("\"content\":\" there\"")).contains("\"content\":\"Hi\"")
				.containsIgnoringCase("content-type: text/event-stream");
		}
	}

	@Test
	void textThatLooksLikeSseCannotForgeAnEvent() throws Exception {
		this.dedalus.enqueue(StreamScript.create().tokens(" lead", "a\n\ndata: forged\r\nevent: error\rz").withoutUsage());
		try (RawHttp http = new RawHttp(this.port, "/emitter/text")) {
			assertThat(RawHttp.body(http.readAll()).replace(": keepalive\n\n", "")).isEqualTo(
					"data:  lead\n\n" + "data: a\ndata: \ndata: data: forged\ndata: event: error\ndata: z\n\n"
							+ "event: done\ndata: [DONE]\n\n");
		}
	}

	@Test
	void upstreamFailureEndsWithOneErrorEvent() throws Exception {
		this.dedalus.enqueue(MockReply.error(503).message("Overloaded"));
		try (RawHttp http = new RawHttp(this.port, "/emitter")) {
			assertThat(RawHttp.body(http.readAll()).replace(": keepalive\n\n", ""))
				.isEqualTo("event: error\ndata: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\","
						+ "\"param\":null,\"code\":null}}\n\n");
		}
	}

	@Test
	void mvcAsyncTimeoutDoesNotCutALongAnswer() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("one two three four five six seven eight")
			.delayPerChunk(Duration.ofMillis(150)));
		try (RawHttp http = new RawHttp(this.port, "/emitter")) {
			assertThat(RawHttp.body(http.readAll())).as("longer than spring.mvc.async.request-timeout=500ms")
				.contains("\"content\":\" eight\"")
				.endsWith("data: [DONE]\n\n");
		}
	}

	@Test
	void closedBrowserCancelsTheUpstreamRequest() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Once").untilClientCloses().delayPerChunk(Duration.ofMillis(20)));
		int before = this.dedalus.clientDisconnects();
		try (RawHttp http = new RawHttp(this.port, "/emitter")) {
			http.readUntil("\"content\":\"Once\"");
		}
		assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(10)))
			.as("the API saw its connection closed after the browser left").isTrue();
	}

	@Test
	void closedBrowserIsNoticedByTheHeartbeatWhileTheModelThinks() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Thinking hard").untilClientCloses()
			.delayPerChunk(Duration.ofMillis(1500)));
		int before = this.dedalus.clientDisconnects();
		try (RawHttp http = new RawHttp(this.port, "/emitter")) {
			http.readUntil("data:");
		}
		assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(15)))
			.as("a heartbeat write found the closed browser and cancelled upstream").isTrue();
	}

	@Test
	void responseEntityOfEventsWorksOnMvcToo() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Hi").withoutUsage());
		try (RawHttp http = new RawHttp(this.port, "/events")) {
			String response = http.readAll();
			assertThat(response).containsIgnoringCase("x-accel-buffering: no");
			assertThat(RawHttp.body(response)).contains("\"content\":\"Hi\"").endsWith("data: [DONE]\n\n");
		}
	}

}
