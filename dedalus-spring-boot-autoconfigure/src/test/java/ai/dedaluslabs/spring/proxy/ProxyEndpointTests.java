package ai.dedaluslabs.spring.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamFault;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's behaviour, run on Spring MVC and on WebFlux by the subclasses, against a
 * scripted API.
 */
@Timeout(60)
abstract class ProxyEndpointTests {


	@Autowired
	DedalusMockServer dedalus;

	@LocalServerPort
	int port;

	@BeforeEach
	void drainRecordedRequests() {
		while (this.dedalus.takeRequest(Duration.ZERO) != null) {
			// earlier tests' requests
		}
	}

	HttpResponse<String> post(String body, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/dedalus/v1/chat/completions")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	static String chat(String model, boolean stream, String extra) {
		return "{\"model\":\"" + model + "\",\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"Who goes there?\"}]" + extra + "}";
	}

	static List<String> dataLines(String body) {
		List<String> lines = new ArrayList<>();
		for (String line : body.split("\n")) {
			if (line.startsWith("data:")) {
				lines.add(line.substring(5).strip());
			}
		}
		return lines;
	}

	private String direct(String body) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.dedalus.baseUrl() + "/v1/chat/completions"))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	@Test
	void streamedRelayIsByteFaithfulToTheUpstreamEvents() throws Exception {
		StreamScript script = StreamScript.create().text("Stately, plump Buck Mulligan").usage(4, 6);
		this.dedalus.enqueue(script);
		this.dedalus.enqueue(script);
		HttpResponse<String> relayed = post(chat("openai/gpt-5-nano", true, ",\"stream_options\":{\"include_usage\":true}"));
		assertThat(relayed.statusCode()).isEqualTo(200);
		assertThat(relayed.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		String upstream = direct(chat("openai/gpt-5-nano", true, ""));
		assertThat(dataLines(relayed.body())).containsExactlyElementsOf(dataLines(upstream));
		assertThat(relayed.body()).endsWith("data: [DONE]\n\n");
	}

	@Test
	void usageIsRequestedUpstreamButPassedOnOnlyWhenAsked() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("No usage for you").usage(4, 4));
		HttpResponse<String> relayed = post(chat("openai/gpt-5-nano", true, ""));
		assertThat(relayed.body()).doesNotContain("\"usage\"").contains("\"content\":\" usage\"");
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.json().at("/stream_options/include_usage").asBoolean()).isTrue();
	}

	@Test
	void plainRelayIsByteFaithful() throws Exception {
		this.dedalus.enqueue(MockReply.completion("Introibo ad altare Dei."));
		this.dedalus.enqueue(MockReply.completion("Introibo ad altare Dei."));
		HttpResponse<String> relayed = post(chat("openai/gpt-5-nano", false, ""));
		assertThat(relayed.statusCode()).isEqualTo(200);
		assertThat(relayed.body()).isEqualTo(direct(chat("openai/gpt-5-nano", false, "")));
	}

	@Test
	void otherMethodsAreAnswered405WithTheOneAllowed() throws Exception {
		HttpResponse<String> get = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/dedalus/v1/chat/completions"))).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(get.statusCode()).isEqualTo(405);
		assertThat(get.headers().firstValue("Allow")).hasValue("POST");
		HttpResponse<String> post = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/dedalus/v1/models")))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(post.statusCode()).isEqualTo(405);
		assertThat(post.headers().firstValue("Allow")).hasValue("GET");
		assertThat(this.dedalus.takeRequest(Duration.ZERO)).isNull();
	}

	@Test
	void theModelsAnswerHeadLikeGet() throws Exception {
		HttpResponse<String> head = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/dedalus/v1/models")))
				.method("HEAD", HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThat(head.body()).isEmpty();
	}

	@Test
	void browserAuthorizationIsNotForwardedAndTheServerKeyIs() throws Exception {
		this.dedalus.enqueue(MockReply.completion("ok"));
		post(chat("openai/gpt-5-nano", false, ""), "Authorization", "Bearer browser-session-token", "X-Provider-Key",
				"browser-provider-key");
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.header("Authorization")).isEqualTo("Bearer " + DedalusMockServer.TEST_API_KEY);
		assertThat(sent.headers().toString()).doesNotContain("browser-session-token").doesNotContain("browser-provider-key");
	}

	@Test
	void completionLimitIsAppliedWhenTheCallerSetsNone() throws Exception {
		this.dedalus.enqueue(MockReply.completion("ok"));
		post(chat("openai/gpt-5-nano", false, ""));
		assertThat(this.dedalus.takeRequest(Duration.ofSeconds(5)).json().get("max_completion_tokens").asInt())
			.isEqualTo(1000);
	}

	@Test
	void modelNotAllowedIsRefused() throws Exception {
		HttpResponse<String> refused = post(chat("mistral/large", true, ""));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).isEqualTo("{\"error\":{\"message\":\"The model 'mistral/large' is not available "
				+ "through this endpoint\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_allowed\"}}");
		assertThat(this.dedalus.takeRequest(Duration.ofMillis(100))).as("nothing sent upstream").isNull();
	}

	@Test
	void tooManyTokensAreRefused() throws Exception {
		HttpResponse<String> refused = post(chat("openai/gpt-5-nano", false, ",\"max_tokens\":5000"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"param\":\"max_tokens\"").contains("at most 1000");
		assertThat(post(chat("openai/gpt-5-nano", false, ",\"max_completion_tokens\":1001")).statusCode()).isEqualTo(400);
	}

	@Test
	void oversizedBodyIsRefused() throws Exception {
		HttpResponse<String> refused = post(chat("openai/gpt-5-nano", false, ",\"user\":\"" + "x".repeat(3000) + "\""));
		assertThat(refused.statusCode()).isEqualTo(413);
		assertThat(refused.body()).contains("\"code\":\"request_too_large\"");
	}

	@Test
	void invalidBodyIsRefused() throws Exception {
		assertThat(post("{not json").statusCode()).isEqualTo(400);
		HttpResponse<String> noMessages = post("{\"model\":\"openai/gpt-5-nano\",\"messages\":[]}");
		assertThat(noMessages.statusCode()).isEqualTo(400);
		assertThat(noMessages.body()).contains("at least one message");
	}

	@Test
	void upstreamErrorIsRelayedWithItsStatus() throws Exception {
		this.dedalus.enqueue(MockReply.error(429).message("Slow down").code("rate_limited"));
		HttpResponse<String> relayed = post(chat("openai/gpt-5-nano", true, ""));
		assertThat(relayed.statusCode()).isEqualTo(429);
		assertThat(relayed.body()).isEqualTo("{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_error\","
				+ "\"param\":null,\"code\":\"rate_limited\"}}");
		assertThat(relayed.body()).doesNotContain(DedalusMockServer.TEST_API_KEY);
	}

	@Test
	void tooManyConcurrentStreamsPerCallerAreRefused() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("one").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		this.dedalus.enqueue(StreamScript.create().text("two").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		int before = this.dedalus.clientDisconnects();
		try (var first = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/gpt-5-nano", true, ""));
				var second = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/gpt-5-nano", true, ""))) {
			first.readUntil("\"content\"");
			second.readUntil("\"content\"");
			HttpResponse<String> third = post(chat("openai/gpt-5-nano", true, ""));
			assertThat(third.statusCode()).isEqualTo(429);
			assertThat(third.body()).contains("\"type\":\"rate_limit_error\"").contains("at most 2");
		}
		assertThat(this.dedalus.awaitClientDisconnects(before + 2, Duration.ofSeconds(10)))
			.as("both abandoned streams were cancelled upstream, giving their places back").isTrue();
	}

	/**
	 * How long the upstream takes to answer (its headers, or its first chunk) in the departure
	 * tests. WebFlux notices a caller that leaves at once, so its upstream answers only after the
	 * test; a servlet container notices only when it writes, so there the upstream answers soon and
	 * the place comes back at that write.
	 */
	abstract Duration upstreamStartWhileCallersLeave();

	@Test
	void callersThatLeaveBeforeTheUpstreamAnswersGiveTheirPlacesBack() throws Exception {
		placesComeBackWhenCallersLeave(
				StreamScript.create().text("late").untilClientCloses().headersDelay(upstreamStartWhileCallersLeave()));
	}

	@Test
	void callersThatLeaveWhileTheModelThinksGiveTheirPlacesBack() throws Exception {
		// The upstream accepts at once (its headers) and sends its first chunk only much later.
		placesComeBackWhenCallersLeave(
				StreamScript.create().text("late").untilClientCloses().delayPerChunk(upstreamStartWhileCallersLeave()));
	}

	/** Two callers take both places with a stream scripted so, and leave; a third then gets in. */
	private void placesComeBackWhenCallersLeave(StreamScript upstream) throws Exception {
		this.dedalus.forModel("openai/slow", upstream);
		try (var first = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/slow", true, ""));
				var second = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/slow", true, ""))) {
			this.dedalus.takeRequest(Duration.ofSeconds(10));
			this.dedalus.takeRequest(Duration.ofSeconds(10));
			assertThat(post(chat("openai/on-time", true, "")).statusCode()).as("both places taken").isEqualTo(429);
		}
		this.dedalus.forModel("openai/on-time", StreamScript.create().text("on time"));
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> post(chat("openai/on-time", true, "")).statusCode() == 200);
	}

	@Test
	void nonStreamedCallersThatLeaveBeforeTheUpstreamAnswersGiveTheirPlacesBack() throws Exception {
		this.dedalus.forModel("openai/slow-plain",
				MockReply.completion("late").headersDelay(upstreamStartWhileCallersLeave()));
		try (var first = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/slow-plain", false, ""));
				var second = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/slow-plain", false, ""))) {
			this.dedalus.takeRequest(Duration.ofSeconds(10));
			this.dedalus.takeRequest(Duration.ofSeconds(10));
			HttpResponse<String> third = post(chat("openai/plain-on-time", false, ""));
			assertThat(third.statusCode()).as("both places taken: " + third.body()).isEqualTo(429);
		}
		this.dedalus.forModel("openai/plain-on-time", MockReply.completion("on time"));
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> post(chat("openai/plain-on-time", false, "")).statusCode() == 200);
	}

	@Test
	void anErrorTheUpstreamSendsAsItsFirstEventIsRelayedInTheStream() throws Exception {
		// Its status was 200: the caller's is too, and the error follows as an OpenAI error event.
		this.dedalus.enqueue(StreamScript.create()
			.text("never")
			.fault(StreamFault.errorEvent(0, "server_error", "The model is overloaded")));
		HttpResponse<String> relayed = post(chat("openai/gpt-5-nano", true, ""));
		assertThat(relayed.statusCode()).isEqualTo(200);
		assertThat(relayed.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		assertThat(relayed.body()).startsWith("event: error\n")
			.contains("\"message\":\"The model is overloaded\"")
			.contains("\"type\":\"server_error\"")
			.doesNotContain("never");
		// The place it held came back.
		this.dedalus.enqueue(StreamScript.create().text("again"));
		assertThat(post(chat("openai/gpt-5-nano", true, "")).statusCode()).isEqualTo(200);
	}

	@Test
	void callerAbortCancelsTheUpstreamRequest() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Once").untilClientCloses().delayPerChunk(Duration.ofMillis(20)));
		int before = this.dedalus.clientDisconnects();
		try (var caller = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/gpt-5-nano", true, ""))) {
			caller.readUntil("\"content\":\"Once\"");
		}
		assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(10)))
			.as("the API saw its connection closed after the caller aborted").isTrue();
	}

	@Test
	void modelsListOnlyAllowedOnes() throws Exception {
		this.dedalus.models("openai/gpt-5-nano", "mistral/large", "anthropic/claude-haiku-4", "openai/gpt-5");
		HttpResponse<String> models = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/dedalus/v1/models"))).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(models.statusCode()).isEqualTo(200);
		assertThat(models.body()).contains("\"id\":\"openai/gpt-5-nano\"")
			.contains("\"id\":\"anthropic/claude-haiku-4\"")
			.contains("\"id\":\"openai/gpt-5\"")
			.doesNotContain("mistral");
	}

	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
			"mcp_servers | [\"http://169.254.169.254/\"]", "credentials | {\"token\":\"x\"}",
			"automatic_tool_execution | true", "max_turns | 100000", "handoff_config | {}", "guardrails | []",
			"agent_attributes | {}", "model_attributes | {}", "deferred | true", "api_key | \"sk-mine\"",
			"base_url | \"http://evil.example\"", "thinking | {\"budget_tokens\":100000}", "service_tier | \"priority\"",
			"store | true", "web_search_options | {}" })
	void fieldsBeyondTheOpenAiOnesAreRefusedBeforeAnythingGoesUpstream(String field, String value) throws Exception {
		int before = this.dedalus.requestCount();
		HttpResponse<String> refused = post(chat("openai/gpt-5-nano", true, ",\"" + field + "\":" + value));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"code\":\"field_not_allowed\"").contains("\"param\":\"" + field + "\"");
		assertThat(this.dedalus.requestCount()).as("requests that reached the model").isEqualTo(before);
	}

	@Test
	void aModelsSettingsAreRefused() throws Exception {
		int before = this.dedalus.requestCount();
		HttpResponse<String> refused = post("{\"model\":{\"model\":\"openai/gpt-5-nano\",\"settings\":{\"max_tokens\":1000000}},"
				+ "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"param\":\"model\"").contains("\"code\":\"field_not_allowed\"");
		assertThat(this.dedalus.requestCount()).isEqualTo(before);
	}

	@Test
	void moreChoicesThanAllowedAreRefused() throws Exception {
		HttpResponse<String> refused = post(chat("openai/gpt-5-nano", true, ",\"n\":100"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"param\":\"n\"").contains("\"code\":\"too_many_choices\"");
	}

	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "openai/gpt-5-nano,mistral/large", "openai/../mistral/large",
			"openai/gpt-5-nano mistral/large", " openai/gpt-5-nano", "openai/gpt-5-nano\\n" })
	void modelIdsAreMatchedWhole(String model) throws Exception {
		int before = this.dedalus.requestCount();
		HttpResponse<String> refused = post(chat(model, true, ""));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"code\":\"model_not_allowed\"");
		assertThat(this.dedalus.requestCount()).isEqualTo(before);
	}

	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded",
			"multipart/form-data; boundary=x", "", "*/*", "application/jsonp" })
	void bodiesThatAreNotJsonAreRefused(String contentType) throws Exception {
		int before = this.dedalus.requestCount();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/dedalus/v1/chat/completions")))
			.POST(HttpRequest.BodyPublishers.ofString(chat("openai/gpt-5-nano", true, "")));
		if (!contentType.isEmpty()) {
			request.header("Content-Type", contentType);
		}
		HttpResponse<String> refused = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(415);
		assertThat(refused.body()).contains("\"code\":\"unsupported_media_type\"");
		assertThat(this.dedalus.requestCount()).isEqualTo(before);
	}

	@Test
	void invalidBodiesAreDescribedInTheApisTerms() throws Exception {
		HttpResponse<String> refused = post("{\"messages\":5,\"temperature\":\"hot\"}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("must be").doesNotContain("Node").doesNotContain("ai.dedaluslabs")
			.doesNotContain("java.");
		HttpResponse<String> array = post("[1,2]");
		assertThat(array.statusCode()).isEqualTo(400);
		assertThat(array.body()).contains("must be a JSON object");
		HttpResponse<String> nullMessage = post("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},null]}");
		assertThat(nullMessage.statusCode()).isEqualTo(400);
		assertThat(nullMessage.body()).contains("'messages' must be an array of messages, not null at index 1");
	}

	@Test
	void nonStreamedRequestsShareTheCallersLimit() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("one").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		this.dedalus.enqueue(StreamScript.create().text("two").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		int before = this.dedalus.clientDisconnects();
		try (var first = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/gpt-5-nano", true, ""));
				var second = new ai.dedaluslabs.spring.web.RawHttpAccess(this.port, chat("openai/gpt-5-nano", true, ""))) {
			first.readUntil("\"content\"");
			second.readUntil("\"content\"");
			HttpResponse<String> third = post(chat("openai/gpt-5-nano", false, ""));
			assertThat(third.statusCode()).isEqualTo(429);
			assertThat(third.body()).contains("\"code\":\"too_many_requests\"");
		}
		// Both places come back (on Spring MVC at the streams' next write) before the next test.
		assertThat(this.dedalus.awaitClientDisconnects(before + 2, Duration.ofSeconds(10))).isTrue();
	}

}
