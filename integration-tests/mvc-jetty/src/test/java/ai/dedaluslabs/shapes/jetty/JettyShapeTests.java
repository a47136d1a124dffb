package ai.dedaluslabs.shapes.jetty;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.shapes.MeterChecks;
import ai.dedaluslabs.shapes.ShapeChecks;
import ai.dedaluslabs.spring.proxy.servlet.ProxyMvcController;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring MVC shape on Jetty: the servlet forwarder's non-blocking writes and the endpoint's
 * non-blocking reads on another container than Tomcat, a closed browser, metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(60)
class JettyShapeTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private DedalusMockServer dedalus;

	@Autowired
	private DedalusClient client;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ObservationRegistry observations;

	@LocalServerPort
	private int port;

	@Test
	void runsOnJettyWithTheServletBeans() {
		assertThat(((WebServerApplicationContext) this.context).getWebServer()).isInstanceOf(JettyWebServer.class);
		assertThat(this.context.getBeansOfType(DedalusSseEmitterForwarder.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(ProxyMvcController.class)).hasSize(1);
	}

	@Test
	void isTunedForManyStreams() {
		Server server = ((JettyWebServer) ((WebServerApplicationContext) this.context).getWebServer()).getServer();
		assertThat(server.getConnectors()).isNotEmpty().allSatisfy((connector) -> {
			HttpConfiguration http = connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
			assertThat(http.getHeaderCacheSize()).as("header cache per connection").isZero();
			assertThat(http.getOutputBufferSize()).as("response buffer").isEqualTo(8192);
			assertThat(((ServerConnector) connector).getAcceptQueueSize()).as("listen backlog").isEqualTo(4096);
		});
		assertThat(((QueuedThreadPool) server.getThreadPool()).getMaxThreads()).as("request threads").isEqualTo(4);
	}

	@Test
	void runsOnTheBootVersionOfItsBuild() {
		ShapeChecks.runsOnTheExpectedBootVersion();
	}

	@Test
	void identifiesItselfWithItsVersion() {
		ShapeChecks.identifiesItselfWithItsVersion(this.client, this.dedalus);
	}

	@Test
	void streamsThroughTheClientAndRecordsTokens() {
		ShapeChecks.streamsThroughTheClient(this.client, this.dedalus);
		assertThat(this.meters.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary())
			.as("token metric").isNotNull()
			.satisfies((summary) -> assertThat(summary.totalAmount()).isGreaterThanOrEqualTo(7));
	}

	@Test
	void timesEachOperationOnce() {
		MeterChecks.timesEachOperationOnce(this.client, this.dedalus, this.meters, this.observations);
	}

	@Test
	void forwardsAStreamToTheBrowser() {
		ShapeChecks.forwardsAsServerSentEvents(this.dedalus, this.port, "/chat");
	}

	@Test
	void servesTheFrontEndEndpoint() {
		ShapeChecks.frontEndEndpointStreams(this.dedalus, this.port, null);
	}

	@Test
	void aClosedBrowserCancelsTheForwardedStream() throws Exception {
		ShapeChecks.closedBrowserCancelsTheUpstream(this.dedalus, this.port, "/chat");
	}

	@Test
	void aClosedBrowserCancelsTheEndpointsStream() throws Exception {
		ShapeChecks.closedBrowserCancelsTheUpstream(this.dedalus, this.port, "/dedalus/v1/chat/completions");
	}

}
