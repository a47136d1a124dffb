package ai.dedaluslabs.spring.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.AuthenticationException;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs an application with every Dedalus logger at TRACE, WebClient's request details logged, and
 * {@code /actuator/configprops} and
 * {@code /actuator/env} exposed with values shown, uses the client (a success and a 401), and
 * checks that the API key, the provider key and a secret header value appear nowhere: not in the
 * log output, not in either endpoint's response.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.ai.dedaluslabs=TRACE", "logging.level.org.springframework.web.reactive=TRACE",
				// WebClient then logs every request's headers, values included
				"spring.http.codecs.log-request-details=true",
				"logging.level.reactor.netty=DEBUG", "management.endpoints.web.exposure.include=configprops,env,health",
				"management.endpoint.configprops.show-values=ALWAYS", "management.endpoint.env.show-values=ALWAYS",
				"dedalus.provider=openai", "dedalus.provider-key=sk-provider-exposure-5a6b7c8d",
				"dedalus.headers.X-Gateway-Token=gateway-exposure-9e8f7a6b" },
		args = "--dedalus.api-key=sk-exposure-check-1a2b3c4d")
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class SecretsExposureTests {

	private static final String API_KEY = "sk-exposure-check-1a2b3c4d";

	private static final String PROVIDER_KEY = "sk-provider-exposure-5a6b7c8d";

	private static final String HEADER_VALUE = "gateway-exposure-9e8f7a6b";

	private static final MockWebServer server = new MockWebServer();

	@Autowired
	private DedalusClient client;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void api(DynamicPropertyRegistry registry) throws Exception {
		server.start();
		registry.add("dedalus.base-url", () -> server.url("/").toString());
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void secretsAppearNowhere(CapturedOutput output) throws Exception {
		server.enqueue(TestStreams.answer(3, "fine"));
		server.enqueue(TestStreams.status(429, "retry-after-ms", "0"));
		server.enqueue(TestStreams.status(401));
		ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user("hi")).build();
		this.client.chat().completions().stream(request).blockLast(Duration.ofSeconds(10));
		assertThatExceptionOfType(AuthenticationException.class)
			.isThrownBy(() -> this.client.chat().completions().stream(request).blockLast(Duration.ofSeconds(10)));
		String configprops = get("/actuator/configprops");
		String env = get("/actuator/env");
		assertThat(configprops).as("configprops shows the dedalus properties").contains("\"dedalus\"").contains("baseUrl");
		assertThat(env).as("env shows values").contains(server.url("/").toString());
		for (String secret : new String[] { API_KEY, PROVIDER_KEY, HEADER_VALUE }) {
			assertThat(configprops).as("configprops").doesNotContain(secret);
			assertThat(env).as("env").doesNotContain(secret);
			assertThat(output.getAll()).as("log output").doesNotContain(secret);
		}
		assertThat(output.getAll()).as("the client's own DEBUG logging was on").contains("Retrying a Dedalus request");
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	// No component scan: this package holds the auto-configurations themselves.
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
