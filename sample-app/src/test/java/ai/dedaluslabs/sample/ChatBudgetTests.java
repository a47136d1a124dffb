package ai.dedaluslabs.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's own endpoints spend from the same per-caller token budget as the OpenAI-compatible
 * endpoint: once a caller has spent it, the page gets an error event with the budget's code and
 * nothing goes upstream.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulate=false", "dedalus.max-retries=0", "dedalus.proxy.token-budget.limit=100" })
@AutoConfigureDedalusMock
@Timeout(60)
class ChatBudgetTests {

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	private String get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	@Test
	void aCallerThatSpentItsBudgetIsToldSoOnThePage() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("A long and costly answer").usage(60, 50));
		assertThat(get("/api/chat/stream?prompt=hi")).contains("costly").endsWith("data: [DONE]\n\n");
		// The spend is settled as the stream ends; the next request sees it.
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/chat/flux?prompt=again").contains("\"code\":\"token_budget_exceeded\""));
		assertThat(get("/api/chat/stream?prompt=again")).startsWith("event: error\n")
			.contains("\"code\":\"token_budget_exceeded\"");
		assertThat(this.dedalus.requestCount()).as("only the first went upstream").isEqualTo(1);
	}

}
