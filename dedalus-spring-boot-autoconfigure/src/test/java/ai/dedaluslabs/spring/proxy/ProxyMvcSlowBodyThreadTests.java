package ai.dedaluslabs.spring.proxy;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Spring MVC, callers that trickle their bodies hold no thread: with a Tomcat of 4 threads and
 * 12 callers stalled mid-body (and a body timeout far away), another caller is still answered.
 * Read with blocking I/O, the stalled callers would hold all 4 threads and this one would wait.
 */
@Timeout(60)
@SpringBootTest(classes = ProxyApplications.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.proxy.body-read-timeout=5m",
				"server.tomcat.threads.max=4", "server.tomcat.threads.min-spare=4" })
@AutoConfigureDedalusMock
class ProxyMvcSlowBodyThreadTests {

	@Autowired
	DedalusMockServer dedalus;

	@LocalServerPort
	int port;

	@Test
	void stalledBodiesHoldNoThread() throws Exception {
		List<Socket> stalled = new ArrayList<>();
		try {
			for (int i = 0; i < 12; i++) {
				stalled.add(SlowBodies.stalled(this.port));
			}
			this.dedalus.enqueue(MockReply.completion("Still here."));
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/dedalus/v1/chat/completions"))
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-5-nano\","
							+ "\"messages\":[{\"role\":\"user\",\"content\":\"Anyone?\"}]}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.body()).contains("Still here.");
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
	}

}
