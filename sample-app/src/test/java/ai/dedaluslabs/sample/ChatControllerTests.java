package ai.dedaluslabs.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's controller against a scripted API, as a user of {@code dedalus-spring-boot-test}
 * would write it: what the browser receives, and what the controller sent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulate=false", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(60)
class ChatControllerTests {

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void streamsTheAnswerToTheBrowser() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Stately, plump Buck Mulligan").usage(9, 6));
		HttpResponse<String> response = get("/api/chat/stream?prompt=Who%20came%20up%20the%20stairs%3F");
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		assertThat(response.body()).contains("\"content\":\"Stately\"")
			.contains("\"content\":\" Mulligan\"")
			.contains("\"total_tokens\":15")
			.endsWith("data: [DONE]\n\n");
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.streaming()).isTrue();
		assertThat(sent.request().model()).as("no model asked for: the client's default is sent").isNotNull();
		assertThat(sent.request().model().primaryId()).isEqualTo("openai/gpt-5-nano");
		assertThat(sent.request().messages()).last().satisfies(
				(message) -> assertThat(message.text()).isEqualTo("Who came up the stairs?"));
	}

	@Test
	void passesTheChosenModel() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("ok"));
		get("/api/chat/flux?prompt=hi&model=anthropic/claude-haiku-4");
		assertThat(this.dedalus.takeRequest(Duration.ofSeconds(5)).request().model().primaryId())
			.isEqualTo("anthropic/claude-haiku-4");
	}

	@Test
	void showsAnApiErrorPolitely() throws Exception {
		this.dedalus.enqueue(MockReply.error(429).message("Rate limit reached"));
		assertThat(get("/api/chat/flux?prompt=hi").body())
			.isEqualTo("event:error\ndata: {\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\","
					+ "\"param\":null,\"code\":null}}\n\n");
	}

	@Test
	void refusesAnEmptyPrompt() throws Exception {
		assertThat(get("/api/chat/stream?prompt=%20").statusCode()).isEqualTo(400);
	}

	@Test
	void aModelTheOwnerDidNotAllowIsRefusedOnThePageBeforeAnythingGoesUpstream() throws Exception {
		int before = this.dedalus.requestCount();
		assertThat(get("/api/chat/flux?prompt=hi&model=mistral/large").body()).startsWith("event:error\n")
			.contains("\"code\":\"model_not_allowed\"");
		assertThat(get("/api/chat/stream?prompt=hi&model=openai/..%2Fmistral").body()).startsWith("event: error\n")
			.contains("\"code\":\"model_not_allowed\"");
		assertThat(this.dedalus.requestCount()).isEqualTo(before);
	}

	@Test
	void theOwnersCompletionLimitIsSentUpstream() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("ok"));
		get("/api/chat/stream?prompt=hi");
		assertThat(this.dedalus.takeRequest(Duration.ofSeconds(5)).request().maxCompletionTokens()).isEqualTo(4096);
	}

	@Test
	void aResumableAnswerIsReadAgainWithoutAskingTheModelAgain() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Stately, plump Buck Mulligan").usage(9, 6));
		int before = this.dedalus.requestCount();
		HttpResponse<String> first = get("/api/chat/resumable?prompt=Who%20came%20up%20the%20stairs%3F");
		String streamId = first.headers().firstValue("Dedalus-Stream-Id").orElseThrow();
		assertThat(first.body()).contains("id: " + streamId + ".1\n").endsWith("data: [DONE]\n\n");
		HttpResponse<String> again = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/chat/resumable?prompt=ignored"))
				.header("Last-Event-ID", streamId + ".2")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(again.body()).doesNotContain(streamId + ".2\n").contains("id: " + streamId + ".3\n")
			.endsWith("data: [DONE]\n\n");
		assertThat(first.body()).endsWith(again.body());
		assertThat(this.dedalus.requestCount()).as("one upstream request").isEqualTo(before + 1);
	}

	@Test
	void aResumableAnswerCanBeStoppedByItsId() throws Exception {
		HttpResponse<String> unknown = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port
					+ "/api/chat/resumable/0123456789abcdef0123456789abcdef")).DELETE().build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(get("/api/chat/resumable?prompt=%20").statusCode()).as("an empty prompt").isEqualTo(400);
	}

	@Test
	void springAiModeRunsTheWeatherToolAndStreamsTheAnswer() throws Exception {
		while (this.dedalus.takeRequest(Duration.ZERO) != null) {
			// other tests' requests
		}
		this.dedalus.enqueue(StreamScript.create().toolCall("call_1", "get_weather", "{\"city\":\"Cork\",\"units\":\"c\"}"));
		this.dedalus.enqueue(StreamScript.create().text("Cork is wet").usage(40, 3));
		HttpResponse<String> response = get("/api/chat/spring-ai?prompt=What%20is%20the%20weather%20in%20Cork%3F");
		assertThat(response.body()).contains("\"content\":\" wet\"").contains("\"total_tokens\":62")
			.endsWith("data: [DONE]\n\n");
		RecordedChatRequest first = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(first.json().at("/tools/0/function/name").asString()).isEqualTo("get_weather");
		RecordedChatRequest second = this.dedalus.takeRequest(Duration.ofSeconds(5));
		String toolResult = null;
		for (var message : second.json().get("messages")) {
			if ("tool".equals(message.path("role").asString(""))) {
				toolResult = message.path("content").asString("");
			}
		}
		assertThat(toolResult).as("the tool's result sent back").contains("Rain, 12 °C in Cork");
	}

	@Test
	void agentModeRunsTheLocalToolAndShowsTheCall() throws Exception {
		while (this.dedalus.takeRequest(Duration.ZERO) != null) {
			// other tests' requests
		}
		this.dedalus.enqueue(StreamScript.create().toolCall("call_1", "get_weather", "{\"city\":\"Cork\",\"units\":\"c\"}"));
		this.dedalus.enqueue(StreamScript.create().text("Cork is wet").usage(40, 3));
		HttpResponse<String> response = get("/api/chat/agent?prompt=What%20is%20the%20weather%20in%20Cork%3F");
		assertThat(response.body()).contains("\"name\":\"get_weather\"")
			.contains("\"content\":\" wet\"")
			.contains("\"finish_reason\":\"stop\"")
			.endsWith("data: [DONE]\n\n");
		this.dedalus.takeRequest(Duration.ofSeconds(5));
		RecordedChatRequest second = this.dedalus.takeRequest(Duration.ofSeconds(5));
		String toolResult = null;
		for (var message : second.json().get("messages")) {
			if ("tool".equals(message.path("role").asString(""))) {
				toolResult = message.path("content").asString("");
			}
		}
		assertThat(toolResult).isEqualTo("Rain, 12 °C in Cork");
	}

}
