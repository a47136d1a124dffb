package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole answers on Spring MVC while heartbeats keep meeting the chunks: a heartbeat every 4 ms and
 * chunks 0 to 6 ms apart, so the timer's thread writes while the chunks and the stream's end
 * arrive. Two races lost answers here about once in a thousand streams on a loaded machine: frames
 * queued during a heartbeat fell behind the end frame, and the end's dispose interrupted the
 * heartbeat's write, which Tomcat then failed ({@link FrameStreamTests} forces each interleaving).
 */
@SpringBootTest(classes = ForwardingApplications.Mvc.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.max-retries=0", "dedalus.sse.heartbeat=8ms" })
@AutoConfigureDedalusMock
@Timeout(120)
class MvcHeartbeatRaceTests {

	private static final int STREAMS = 150;

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	@Test
	void everyAnswerArrivesWholeWhileHeartbeatsAreWritten() throws Exception {
		List<String> broken = new ArrayList<>();
		for (int i = 0; i < STREAMS; i++) {
			this.dedalus.enqueue(StreamScript.create()
				.tokens("a", "b", "c")
				.delayPerChunk(Duration.ofMillis(i % 7))
				.withoutUsage());
			try (RawHttp http = new RawHttp(this.port, "/emitter/raw")) {
				String response = http.readAll();
				String body = response.contains("\r\n\r\n") ? RawHttp.body(response).replace(": keepalive\n\n", "") : "";
				if (!isWhole(body)) {
					broken.add("stream " + i + ": " + response);
				}
			}
		}
		assertThat(broken).isEmpty();
	}

	private static boolean isWhole(String body) {
		int at = 0;
		for (String part : List.of("\"content\":\"a\"", "\"content\":\"b\"", "\"content\":\"c\"",
				"\"finish_reason\":\"stop\"", "data: [DONE]\n\n")) {
			int found = body.indexOf(part, at);
			if (found < 0) {
				return false;
			}
			at = found + part.length();
		}
		return at == body.length();
	}

}
