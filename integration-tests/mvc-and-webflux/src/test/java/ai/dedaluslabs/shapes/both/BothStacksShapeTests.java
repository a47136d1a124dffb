package ai.dedaluslabs.shapes.both;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.shapes.ShapeChecks;
import ai.dedaluslabs.spring.proxy.reactive.ProxyWebFluxController;
import ai.dedaluslabs.spring.proxy.servlet.ProxyMvcController;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both stacks on the classpath: Spring Boot runs a servlet application, both forwarders work, and
 * the endpoint is served by the MVC controller only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(60)
class BothStacksShapeTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private DedalusMockServer dedalus;

	@Autowired
	private DedalusClient client;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	@Test
	void runsAsAServletApplicationWithOneEndpointController() {
		assertThat(((WebServerApplicationContext) this.context).getWebServer().getClass().getSimpleName())
			.isEqualTo("TomcatWebServer");
		assertThat(this.context.getBeansOfType(ProxyMvcController.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(ProxyWebFluxController.class)).isEmpty();
	}

	@Test
	void streamsThroughTheClientAndRecordsTokens() {
		ShapeChecks.streamsThroughTheClient(this.client, this.dedalus);
		assertThat(this.meters.find("dedalus.client.streams").tag("outcome", "completed").counter()).isNotNull()
			.satisfies((counter) -> assertThat(counter.count()).isPositive());
		assertThat(this.meters.find("gen_ai.client.token.usage").summary()).as("token metric").isNotNull();
	}

	@Test
	void forwardsThroughAnSseEmitter() {
		ShapeChecks.forwardsAsServerSentEvents(this.dedalus, this.port, "/chat");
	}

	@Test
	void forwardsThroughAFluxOnSpringMvc() {
		ShapeChecks.forwardsAsServerSentEvents(this.dedalus, this.port, "/events");
	}

	@Test
	void servesTheFrontEndEndpoint() {
		ShapeChecks.frontEndEndpointStreams(this.dedalus, this.port, null);
	}

}
