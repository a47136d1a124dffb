package ai.dedaluslabs.shapes.lean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.shapes.ShapeChecks;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape without Actuator and without Micrometer's metrics: the application starts, streams,
 * forwards and serves the endpoint, with no meter anywhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(60)
class LeanShapeTests {

	@Autowired
	private DedalusMockServer dedalus;

	@Autowired
	private DedalusClient client;

	@LocalServerPort
	private int port;

	@Test
	void hasNeitherActuatorNorMicrometerMetrics() {
		assertThat(ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", null)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.SanitizingFunction", null)).isFalse();
	}

	@Test
	void streamsThroughTheClient() {
		ShapeChecks.streamsThroughTheClient(this.client, this.dedalus);
	}

	@Test
	void forwardsTextToTheBrowser() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Stately plump"));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/chat")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).contains("data:  plump\n\n").endsWith("event: done\ndata: [DONE]\n\n");
	}

	@Test
	void servesTheFrontEndEndpoint() {
		ShapeChecks.frontEndEndpointStreams(this.dedalus, this.port, null);
	}

}
