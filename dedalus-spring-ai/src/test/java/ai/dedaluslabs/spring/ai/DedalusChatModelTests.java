package ai.dedaluslabs.spring.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.annotation.Tool;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DedalusChatModel} under Spring AI's {@link ChatClient}, against the scripted API.
 */
@Timeout(60)
class DedalusChatModelTests {

	private DedalusMockServer dedalus;

	private DedalusClient client;

	private DedalusChatModel model;

	@BeforeEach
	void start() {
		this.dedalus = DedalusMockServer.start();
		this.client = DedalusClient.builder()
			.apiKey(DedalusMockServer.TEST_API_KEY)
			.baseUrl(this.dedalus.baseUrl())
			.maxRetries(0)
			.build();
		this.model = new DedalusChatModel(this.client);
	}

	@AfterEach
	void stop() {
		this.dedalus.close();
	}

	static final class Weather {

		final List<String> asked = new CopyOnWriteArrayList<>();

		@Tool(description = "Get the current weather in a city")
		String getWeather(String city) {
			this.asked.add(city);
			return "Rain, 12 degrees, in " + city;
		}

	}

	record Verdict(String city, int degrees) {
	}

	@Test
	void streamsContentAndEndsWithUsage() {
		this.dedalus.enqueue(StreamScript.create().text("Stately, plump Buck Mulligan").usage(9, 6));
		List<ChatResponse> responses = this.model.stream(new Prompt("Who came up the stairs?"))
			.collectList()
			.block(Duration.ofSeconds(10));
		String text = responses.stream()
			.flatMap((response) -> response.getResults().stream())
			.map((generation) -> generation.getOutput().getText())
			.reduce("", String::concat);
		assertThat(text).isEqualTo("Stately, plump Buck Mulligan");
		ChatResponse last = responses.get(responses.size() - 1);
		assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(9);
		assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(6);
		assertThat(last.getMetadata().getUsage().getTotalTokens()).isEqualTo(15);
	}

	@Test
	void chatClientStreamsContent() {
		this.dedalus.enqueue(StreamScript.create().text("Introibo ad altare Dei").usage(3, 4));
		List<String> pieces = ChatClient.create(this.model).prompt().user("Say it").stream().content().collectList()
			.block(Duration.ofSeconds(10));
		assertThat(String.join("", pieces)).isEqualTo("Introibo ad altare Dei");
	}

	@Test
	void aToolCallStreamedInFragmentsRunsTheToolOnceAndTheAnswerStreams() {
		Weather weather = new Weather();
		this.dedalus.enqueue(StreamScript.create().toolCall("call_1", "getWeather", "{\"city\":\"Trieste\"}"));
		this.dedalus.enqueue(StreamScript.create().text("It rains in Trieste").usage(30, 5));
		String answer = String.join("", ChatClient.create(this.model)
			.prompt()
			.user("What is the weather in Trieste?")
			.tools(weather)
			.stream()
			.content()
			.collectList()
			.block(Duration.ofSeconds(10)));
		assertThat(answer).isEqualTo("It rains in Trieste");
		assertThat(weather.asked).containsExactly("Trieste");
		this.dedalus.takeRequest(Duration.ofSeconds(5));
		RecordedChatRequest second = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(second.json().at("/messages/1/role").asString()).isEqualTo("assistant");
		assertThat(second.json().at("/messages/1/tool_calls/0/id").asString()).isEqualTo("call_1");
		assertThat(second.json().at("/messages/2/role").asString()).isEqualTo("tool");
		assertThat(second.json().at("/messages/2/tool_call_id").asString()).isEqualTo("call_1");
		assertThat(second.json().at("/messages/2/content").asString()).contains("Rain, 12 degrees, in Trieste");
	}

	@Test
	void toolCallsInTheVllmAndDeepSeekShapesRunOnceEach() {
		for (String id : new String[] { "call_repeated", "" }) {
			Weather weather = new Weather();
			// vLLM repeats the id on every fragment; DeepSeek sends an empty id after the first.
			String later = id.isEmpty() ? "\"id\":\"\"," : "\"id\":\"" + id + "\",";
			this.dedalus.enqueue(StreamScript.create()
				.chunk(chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_first\",\"type\":\"function\","
						+ "\"function\":{\"name\":\"getWeather\",\"arguments\":\"\"}}]}", null))
				.chunk(chunk("{\"tool_calls\":[{\"index\":0," + later + "\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}",
						null))
				.chunk(chunk("{\"tool_calls\":[{\"index\":0," + later + "\"function\":{\"arguments\":\"\\\"Cork\\\"}\"}}]}",
						null))
				.chunk(chunk("{}", "tool_calls"))
				.withoutUsage());
			this.dedalus.enqueue(StreamScript.create().text("Cork is wet"));
			String answer = String.join("", ChatClient.create(this.model)
				.prompt()
				.user("Weather in Cork?")
				.tools(weather)
				.stream()
				.content()
				.collectList()
				.block(Duration.ofSeconds(10)));
			assertThat(answer).isEqualTo("Cork is wet");
			assertThat(weather.asked).as("shape with id '%s'", id).containsExactly("Cork");
		}
	}

	private static String chunk(String delta, String finishReason) {
		return "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
				+ "\"delta\":" + delta + ",\"finish_reason\":" + ((finishReason != null) ? "\"" + finishReason + "\"" : "null")
				+ "}]}";
	}

	@Test
	void structuredOutputIsParsedIntoARecord() {
		this.dedalus.enqueue(MockReply.completion("{\"city\":\"Dublin\",\"degrees\":9}"));
		Verdict verdict = ChatClient.create(this.model).prompt().user("Weather in Dublin as JSON").call()
			.entity(Verdict.class);
		assertThat(verdict).isEqualTo(new Verdict("Dublin", 9));
	}

	@Test
	void chatMemoryCarriesTheConversation() {
		ChatClient chat = ChatClient.builder(this.model)
			.defaultAdvisors(MessageChatMemoryAdvisor.builder(MessageWindowChatMemory.builder().build()).build())
			.build();
		this.dedalus.enqueue(MockReply.completion("Kinch."));
		this.dedalus.enqueue(MockReply.completion("You asked what he calls Stephen."));
		chat.prompt().user("What does Mulligan call Stephen?")
			.advisors((advisor) -> advisor.param(ChatMemory.CONVERSATION_ID, "stephen"))
			.call()
			.content();
		chat.prompt().user("What did I just ask?")
			.advisors((advisor) -> advisor.param(ChatMemory.CONVERSATION_ID, "stephen"))
			.call()
			.content();
		this.dedalus.takeRequest(Duration.ofSeconds(5));
		RecordedChatRequest second = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(second.json().at("/messages/0/content").asString()).isEqualTo("What does Mulligan call Stephen?");
		assertThat(second.json().at("/messages/1/content").asString()).isEqualTo("Kinch.");
		assertThat(second.json().at("/messages/2/content").asString()).isEqualTo("What did I just ask?");
	}

	@Test
	void cancellingTheStreamCancelsTheUpstreamRequest() {
		int before = this.dedalus.clientDisconnects();
		this.dedalus.enqueue(StreamScript.create().text("On and on and on").untilClientCloses()
			.delayPerChunk(Duration.ofMillis(20)));
		StepVerifier.create(this.model.stream(new Prompt("Go on")), 1)
			.expectNextCount(1)
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void optionsReachTheRequest() {
		this.dedalus.enqueue(MockReply.completion("ok"));
		ChatClient.create(this.model)
			.prompt()
			.user("Hi")
			.options(DedalusChatOptions.builder()
				.models(List.of("openai/gpt-5", "anthropic/claude-sonnet-4"))
				.temperature(0.2)
				.maxTokens(64)
				.topK(40)
				.mcpServers("dedalus-labs/brave-search")
				.credentials(java.util.Map.of("token", "mcp-secret-token"))
				.automaticToolExecution(true)
				.maxTurns(3)
				.extraBody("thinking", java.util.Map.of("budget_tokens", 512)))
			.call()
			.content();
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.json().get("model").toString()).isEqualTo("[\"openai/gpt-5\",\"anthropic/claude-sonnet-4\"]");
		assertThat(sent.json().get("temperature").asDouble()).isEqualTo(0.2);
		assertThat(sent.json().get("max_completion_tokens").asInt()).isEqualTo(64);
		assertThat(sent.json().get("mcp_servers").toString()).isEqualTo("[\"dedalus-labs/brave-search\"]");
		assertThat(sent.json().get("top_k").asInt()).isEqualTo(40);
		assertThat(sent.json().at("/credentials/token").asString()).isEqualTo("mcp-secret-token");
		assertThat(sent.json().get("automatic_tool_execution").asBoolean()).isTrue();
		assertThat(sent.json().get("max_turns").asInt()).isEqualTo(3);
		assertThat(sent.json().at("/thinking/budget_tokens").asInt()).isEqualTo(512);
		assertThat(DedalusChatOptions.builder().credentials("mcp-secret-token").build().toString())
			.doesNotContain("mcp-secret-token");
	}

	@Test
	void imagesGoAsImageParts() {
		this.dedalus.enqueue(MockReply.completion("A tower."));
		org.springframework.ai.chat.messages.UserMessage message = org.springframework.ai.chat.messages.UserMessage.builder()
			.text("What is this?")
			.media(List.of(new org.springframework.ai.content.Media(org.springframework.util.MimeTypeUtils.IMAGE_PNG,
					java.net.URI.create("https://example.org/martello.png")),
					org.springframework.ai.content.Media.builder()
						.mimeType(org.springframework.util.MimeTypeUtils.IMAGE_PNG)
						.data(new byte[] { 1, 2, 3 })
						.build()))
			.build();
		this.model.call(new Prompt(message));
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.json().at("/messages/0/content/0/text").asString()).isEqualTo("What is this?");
		assertThat(sent.json().at("/messages/0/content/1/image_url/url").asString())
			.isEqualTo("https://example.org/martello.png");
		assertThat(sent.json().at("/messages/0/content/2/image_url/url").asString())
			.isEqualTo("data:image/png;base64,AQID");
	}

}
