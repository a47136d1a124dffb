package ai.dedaluslabs.shapes.secured;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.shapes.ShapeChecks;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Security shape: nothing reaches the model without a signed-in user, and signed-in
 * users stream through the forwarder and the front-end endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(60)
class SecuredShapeTests {

	private static final String MOLLY = "Basic "
			+ Base64.getEncoder().encodeToString("molly:yes".getBytes(StandardCharsets.UTF_8));

	@Autowired
	private DedalusMockServer dedalus;

	@Autowired
	private DedalusClient client;

	@LocalServerPort
	private int port;

	@Test
	void anonymousCallerIsRefusedBeforeAnythingGoesUpstream() {
		int before = this.dedalus.requestCount();
		assertThat(ShapeChecks.postCompletions(this.port, null).statusCode()).isEqualTo(401);
		assertThat(ShapeChecks.postCompletions(this.port, "Basic bW9sbHk6bm8=").statusCode())
			.as("wrong password").isEqualTo(401);
		assertThat(this.dedalus.requestCount()).as("requests that reached the model").isEqualTo(before);
	}

	@Test
	void signedInUserStreamsThroughTheEndpointWithoutACsrfToken() {
		ShapeChecks.frontEndEndpointStreams(this.dedalus, this.port, MOLLY);
	}

	@Test
	void streamsThroughTheClient() {
		ShapeChecks.streamsThroughTheClient(this.client, this.dedalus);
	}

}
