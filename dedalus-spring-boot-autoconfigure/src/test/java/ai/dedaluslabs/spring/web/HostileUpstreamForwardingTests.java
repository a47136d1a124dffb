package ai.dedaluslabs.spring.web;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.StreamFault;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that echoes the API key in every error it can send: the key reaches neither the
 * browser (SSE error events), nor a front-end caller (status bodies, mid-stream errors), nor the
 * log, at any level.
 */
@SpringBootTest(classes = ForwardingApplications.Mvc.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.max-retries=0", "dedalus.proxy.enabled=true", "logging.level.ai.dedaluslabs=TRACE",
				"logging.level.org.springframework.web=DEBUG", "logging.level.reactor.netty=DEBUG" })
@AutoConfigureDedalusMock
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class HostileUpstreamForwardingTests {

	private static final String KEY = DedalusMockServer.TEST_API_KEY;

	private static final String ECHO = "Authorization: Bearer " + KEY;

	private static final String STREAM_REQUEST = "{\"model\":\"openai/gpt-5-nano\",\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	@Test
	void browserErrorEventCarriesNoKey(CapturedOutput output) throws Exception {
		this.dedalus.enqueue(MockReply.error(401).message("Invalid key, you sent " + ECHO).requestId(KEY));
		try (RawHttp http = new RawHttp(this.port, "/emitter")) {
			String body = RawHttp.body(http.readAll());
			assertThat(body).contains("event: error").doesNotContain(KEY);
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void midStreamErrorToTheBrowserCarriesNoKey(CapturedOutput output) throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Hello there")
			.fault(StreamFault.errorEvent(1, "server_error", "gateway saw " + ECHO)));
		try (RawHttp http = new RawHttp(this.port, "/emitter/raw")) {
			String body = RawHttp.body(http.readAll());
			assertThat(body).contains("event: error").contains("gateway saw").doesNotContain(KEY);
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void frontEndCallerGetsTheStatusWithoutTheKey(CapturedOutput output) throws Exception {
		this.dedalus.enqueue(MockReply.error(401).message("Invalid key: " + ECHO).param(KEY).code(KEY));
		try (RawHttp http = new RawHttp(this.port, "POST", "/dedalus/v1/chat/completions", STREAM_REQUEST)) {
			String response = http.readAll();
			assertThat(response).startsWith("HTTP/1.1 401").doesNotContain(KEY);
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void frontEndMidStreamErrorCarriesNoKey(CapturedOutput output) throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Hello there")
			.fault(StreamFault.errorEvent(1, "server_error", "gateway saw " + ECHO)));
		try (RawHttp http = new RawHttp(this.port, "POST", "/dedalus/v1/chat/completions", STREAM_REQUEST)) {
			String response = http.readAll();
			assertThat(response).startsWith("HTTP/1.1 200").contains("event: error").doesNotContain(KEY);
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

	@Test
	void chunkTextThatEchoesTheKeyIsMaskedOnTheWayThrough(CapturedOutput output) throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("your key is " + KEY));
		try (RawHttp http = new RawHttp(this.port, "POST", "/dedalus/v1/chat/completions", STREAM_REQUEST)) {
			String response = http.readAll();
			assertThat(response).contains("data: [DONE]").doesNotContain(KEY);
		}
		assertThat(output.getAll()).doesNotContain(KEY);
	}

}
