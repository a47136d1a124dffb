package ai.dedaluslabs.spring.proxy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code dedalus.proxy.store=redis} and no Redis to reach, the endpoint fails closed: 503,
 * code {@code store_unavailable}, {@code Retry-After}, a log line saying why, and nothing sent
 * upstream. Failing open would let whoever can knock Redis over spend without limits.
 */
@Timeout(60)
@SpringBootTest(classes = ProxyApplications.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.proxy.store=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.connect-timeout=1s" })
@AutoConfigureDedalusMock
@org.junit.jupiter.api.extension.ExtendWith(OutputCaptureExtension.class)
class ProxyStoreUnavailableTests {

	@Autowired
	DedalusMockServer dedalus;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void redisNobodyListensOn(DynamicPropertyRegistry registry) throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		registry.add("spring.data.redis.port", () -> closed);
	}

	@Test
	void requestsAreRefusedWith503WhenTheStoreCannotBeReached(CapturedOutput output) throws Exception {
		int before = this.dedalus.requestCount();
		HttpResponse<String> refused = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/dedalus/v1/chat/completions"))
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-5-nano\",\"stream\":true,"
						+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("\"code\":\"store_unavailable\"").doesNotContain("Redis")
			.doesNotContain("Exception");
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(this.dedalus.requestCount()).as("nothing sent upstream").isEqualTo(before);
		assertThat(output).contains("Refusing a request with 503: the endpoint's limit store did not answer");
	}

}
