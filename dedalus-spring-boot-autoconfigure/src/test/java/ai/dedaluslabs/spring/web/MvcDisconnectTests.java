package ai.dedaluslabs.spring.web;

import java.time.Duration;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
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
import static org.awaitility.Awaitility.await;

/**
 * A browser that goes away from a Spring MVC stream: noticed within one heartbeat however it
 * closed, even while the model is silent (a servlet container sees a closed socket only at the
 * second write after a normal close), and logged at DEBUG only.
 */
@SpringBootTest(classes = ForwardingApplications.Mvc.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.max-retries=0", "dedalus.sse.heartbeat=4s", "dedalus.proxy.enabled=true", "logging.level.ai.dedaluslabs=INFO",
				"logging.level.reactor=INFO", "logging.level.org.springframework=INFO" })
@AutoConfigureDedalusMock
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class MvcDisconnectTests {

	private static final Duration HEARTBEAT = Duration.ofSeconds(4);

	@Autowired
	private DedalusMockServer dedalus;

	@Autowired
	private DedalusClient client;

	@LocalServerPort
	private int port;

	@Test
	void closedBrowserIsNoticedWithinOneHeartbeatWhileTheModelIsSilent() throws Exception {
		// After its first chunk the model says nothing more, so only heartbeats can find the closed tab.
		// The silent model cannot see the cancel itself; the client's pool shows the connection closed.
		this.dedalus.enqueue(StreamScript.create().text("Thinking hard").fault(StreamFault.stall(1)));
		try (RawHttp http = new RawHttp(this.port, "/emitter")) {
			http.readUntil("data:");
			assertThat(this.client.connectionPool().active()).as("the upstream stream is open").isEqualTo(1);
		}
		// Two heartbeats' time would be 8 s: half a heartbeat of margin over one is still less.
		await().atMost(HEARTBEAT.plus(HEARTBEAT.dividedBy(2)))
			.untilAsserted(() -> assertThat(this.client.connectionPool().active())
				.as("upstream connections still open after the browser left")
				.isZero());
	}

	@Test
	void ordinaryDisconnectsLogNothingAboveDebug(CapturedOutput output) throws Exception {
		for (int i = 0; i < 20; i++) {
			this.dedalus.enqueue(StreamScript.create().text("Stately, plump Buck Mulligan came from the stairhead")
				.untilClientCloses());
			int before = this.dedalus.clientDisconnects();
			// Half through the forwarder, half through the front-end endpoint.
			try (RawHttp http = (i % 2 == 0) ? new RawHttp(this.port, "/emitter/raw")
					: new RawHttp(this.port, "POST", "/dedalus/v1/chat/completions",
							"{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
				http.readUntil("Mulligan");
			}
			assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(10))).isTrue();
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains(" ERROR ") || line.contains(" WARN ")))
			.as("log lines above DEBUG after ordinary disconnects")
			.isEmpty();
	}

}
