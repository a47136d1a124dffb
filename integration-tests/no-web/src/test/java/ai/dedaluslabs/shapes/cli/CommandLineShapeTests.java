package ai.dedaluslabs.shapes.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.shapes.ShapeChecks;
import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.web.SseFrames;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line shape: no web server, no forwarding or endpoint beans (even with the endpoint
 * switched on), and a client that streams and records metrics.
 */
@SpringBootTest(properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(60)
class CommandLineShapeTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private DedalusMockServer dedalus;

	@Autowired
	private DedalusClient client;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CommandLineShapeApplication.Answerer answerer;

	@Test
	void startsWithoutAWebServerOrWebBeans() {
		assertThat(ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet", null)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.boot.web.server.WebServer", null)).isFalse();
		assertThat(this.context).isNotInstanceOf(WebApplicationContext.class);
		assertThat(this.context.getBeansOfType(SseFrames.class)).isEmpty();
		assertThat(this.context.getBeansOfType(DedalusProxy.class)).as("no endpoint without a web server").isEmpty();
	}

	@Test
	void streamsThroughTheClientAndRecordsTokens() {
		ShapeChecks.streamsThroughTheClient(this.client, this.dedalus);
		assertThat(this.meters.find("gen_ai.client.token.usage").summary()).as("token metric").isNotNull();
	}

	@Test
	void printsTheAnswerAsItStreams() {
		this.dedalus.enqueue(StreamScript.create().text("Kinch, the knife-blade."));
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		this.answerer.answer("Who?", new PrintStream(printed, true, StandardCharsets.UTF_8));
		assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("Kinch, the knife-blade." + System.lineSeparator());
	}

}
