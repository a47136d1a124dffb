package ai.dedaluslabs.shapes.mvc;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.shapes.MeterChecks;
import ai.dedaluslabs.shapes.ShapeChecks;
import ai.dedaluslabs.spring.proxy.servlet.ProxyMvcController;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring MVC shape: Tomcat, the servlet forwarder, the endpoint's MVC controller, metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(60)
class MvcShapeTests {

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
	void runsOnTomcatWithTheServletBeans() {
		assertThat(((WebServerApplicationContext) this.context).getWebServer().getClass().getSimpleName())
			.isEqualTo("TomcatWebServer");
		assertThat(this.context.getBeansOfType(DedalusSseEmitterForwarder.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(DedalusServerSentEventForwarder.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(ProxyMvcController.class)).hasSize(1);
	}

	@Test
	void isTunedForManyStreams() {
		Connector connector = ((TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer()).getTomcat()
			.getConnector();
		assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).as("read buffer").isEqualTo("1024");
		assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).as("write buffer").isEqualTo("1024");
		AbstractHttp11Protocol<?> http = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
		assertThat(http.getMaxHttpResponseHeaderSize()).as("response header buffer").isEqualTo(2048);
		assertThat(http.getAcceptCount()).as("listen backlog").isEqualTo(4096);
		assertThat(http.getMaxThreads()).as("request threads").isEqualTo(4);
	}

	/**
	 * The small socket buffers only hold small reads and writes: a request, its headers and a frame
	 * many times their size still go through whole.
	 */
	@Test
	void carriesRequestsAndFramesLargerThanItsSocketBuffers() throws Exception {
		String question = "q".repeat(20_000);
		String answer = "a".repeat(12_000);
		this.dedalus.enqueue(StreamScript.create().tokens("Stately", answer));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/dedalus/v1/chat/completions"))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.header("X-Padding", "p".repeat(4_000))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-5-nano\",\"stream\":true,"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}"))
			.build();
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"content\":\"" + answer + "\"").endsWith("data: [DONE]\n\n");
		RecordedChatRequest upstream = this.dedalus.takeRequest(Duration.ofSeconds(10));
		while (upstream != null && !upstream.body().contains(question)) {
			upstream = this.dedalus.takeRequest(Duration.ofSeconds(10));
		}
		assertThat(upstream).as("the upstream request with the whole question").isNotNull();
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
