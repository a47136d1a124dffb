package ai.dedaluslabs.client.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import ai.dedaluslabs.client.internal.RequestEncoder;
import ai.dedaluslabs.client.json.WireJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ChatCompletionRequest}: what goes over the wire and what {@code build()} refuses.
 */
class ChatCompletionRequestTests {

	private final RequestEncoder encoder = new RequestEncoder(WireJson.defaultMapper(), "openai/gpt-5-nano", true);

	private String json(ChatCompletionRequest request, boolean stream) {
		return new String(this.encoder.encode(request, stream), StandardCharsets.UTF_8);
	}

	private JsonNode tree(ChatCompletionRequest request) {
		return WireJson.defaultMapper().readTree(json(request, false));
	}

	private static ChatCompletionRequest.Builder hello() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("hello"));
	}

	@Test
	void aRequestWithoutExtraBodyIsWrittenAsItsTreeWouldBe() {
		List<ChatCompletionRequest> requests = List.of(hello().build(), hello().model("anthropic/claude-haiku-4").build(),
				hello().streamOptions(new StreamOptions(false)).build(), hello().stream(true).build(),
				hello().temperature(0.2).maxCompletionTokens(50).n(2).build());
		for (ChatCompletionRequest request : requests) {
			for (boolean stream : new boolean[] { true, false }) {
				JsonNode direct = WireJson.defaultMapper().readTree(this.encoder.encode(request, stream));
				assertThat(direct).as("%s, stream %s", request, stream).isEqualTo(this.encoder.toTree(request, stream));
			}
		}
	}

	@Test
	void minimalRequestSendsOnlyModelAndMessages() {
		assertThat(json(hello().build(), false))
			.isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"model\":\"openai/gpt-5-nano\"}");
	}

	@Test
	void streamingSetsStreamAndAsksForUsage() {
		JsonNode tree = WireJson.defaultMapper().readTree(json(hello().build(), true));
		assertThat(tree.get("stream").asBoolean()).isTrue();
		assertThat(tree.at("/stream_options/include_usage").asBoolean()).isTrue();
	}

	@Test
	void ownStreamOptionsAreKept() {
		ChatCompletionRequest request = hello().streamOptions(new StreamOptions(false)).build();
		JsonNode tree = WireJson.defaultMapper().readTree(json(request, true));
		assertThat(tree.at("/stream_options/include_usage").asBoolean()).isFalse();
	}

	@Test
	void nonStreamedRequestDropsStreamFlags() {
		JsonNode tree = tree(hello().stream(true).streamOptions(StreamOptions.withUsage()).build());
		assertThat(tree.has("stream")).isFalse();
		assertThat(tree.has("stream_options")).isFalse();
	}

	@Test
	void fieldsAreSnakeCase() {
		ChatCompletionRequest request = hello().model("anthropic/claude-sonnet-4")
			.maxCompletionTokens(100)
			.maxTokens(50)
			.topP(0.5)
			.temperature(0.7)
			.n(2)
			.seed(42L)
			.user("user-42")
			.parallelToolCalls(false)
			.reasoningEffort("low")
			.presencePenalty(0.1)
			.frequencyPenalty(-0.1)
			.topLogprobs(3)
			.logprobs(true)
			.stop(List.of("END"))
			.responseFormat(Map.of("type", "json_object"))
			.toolChoice("auto")
			.serviceTier("auto")
			.metadata(Map.of("k", "v"))
			.automaticToolExecution(false)
			.maxTurns(3)
			.topK(40)
			.build();
		JsonNode tree = tree(request);
		assertThat(tree.get("model").asString()).isEqualTo("anthropic/claude-sonnet-4");
		assertThat(tree.get("max_completion_tokens").asInt()).isEqualTo(100);
		assertThat(tree.get("max_tokens").asInt()).isEqualTo(50);
		assertThat(tree.get("top_p").asDouble()).isEqualTo(0.5);
		assertThat(tree.get("temperature").asDouble()).isEqualTo(0.7);
		assertThat(tree.get("n").asInt()).isEqualTo(2);
		assertThat(tree.get("seed").asLong()).isEqualTo(42L);
		assertThat(tree.get("user").asString()).isEqualTo("user-42");
		assertThat(tree.get("parallel_tool_calls").isBoolean()).isTrue();
		assertThat(tree.get("parallel_tool_calls").asBoolean()).isFalse();
		assertThat(tree.get("reasoning_effort").asString()).isEqualTo("low");
		assertThat(tree.get("presence_penalty").asDouble()).isEqualTo(0.1);
		assertThat(tree.get("frequency_penalty").asDouble()).isEqualTo(-0.1);
		assertThat(tree.get("top_logprobs").asInt()).isEqualTo(3);
		assertThat(tree.get("logprobs").asBoolean()).isTrue();
		assertThat(tree.get("stop").get(0).asString()).isEqualTo("END");
		assertThat(tree.at("/response_format/type").asString()).isEqualTo("json_object");
		assertThat(tree.get("tool_choice").asString()).isEqualTo("auto");
		assertThat(tree.get("service_tier").asString()).isEqualTo("auto");
		assertThat(tree.at("/metadata/k").asString()).isEqualTo("v");
		assertThat(tree.get("automatic_tool_execution").asBoolean()).isFalse();
		assertThat(tree.get("max_turns").asInt()).isEqualTo(3);
		assertThat(tree.get("top_k").asInt()).isEqualTo(40);
	}

	@Test
	void unsetFieldsAreNeverSentAsNullOrFalse() {
		String json = json(hello().build(), false);
		assertThat(json).doesNotContain("null").doesNotContain("false").doesNotContain("[]").doesNotContain("{}");
	}

	@Test
	void dedalusFieldsAreSent() {
		ChatCompletionRequest request = hello().addMcpServer("dedalus-labs/brave-search")
			.addMcpServer(Map.of("url", "https://mcp.example.com"))
			.credentials(Map.of("brave", Map.of("api_key", "k")))
			.handoffConfig(Map.of("strategy", "quality"))
			.guardrails(List.of(Map.of("name", "pii")))
			.agentAttributes(Map.of("accuracy", 0.9))
			.modelAttributes(Map.of("openai/gpt-5-nano", Map.of("speed", 0.8)))
			.deferred(true)
			.build();
		JsonNode tree = tree(request);
		assertThat(tree.get("mcp_servers").get(0).asString()).isEqualTo("dedalus-labs/brave-search");
		assertThat(tree.get("mcp_servers").get(1).get("url").asString()).isEqualTo("https://mcp.example.com");
		assertThat(tree.at("/credentials/brave/api_key").asString()).isEqualTo("k");
		assertThat(tree.at("/handoff_config/strategy").asString()).isEqualTo("quality");
		assertThat(tree.at("/guardrails/0/name").asString()).isEqualTo("pii");
		assertThat(tree.at("/agent_attributes/accuracy").asDouble()).isEqualTo(0.9);
		assertThat(tree.at("/model_attributes/openai~1gpt-5-nano/speed").asDouble()).isEqualTo(0.8);
		assertThat(tree.get("deferred").asBoolean()).isTrue();
	}

	@Test
	void modelWithSettingsAndRoutingList() {
		assertThat(tree(hello().model(ModelSpec.of("openai/gpt-5", Map.of("temperature", 0.2))).build()).get("model")
			.toString()).isEqualTo("{\"model\":\"openai/gpt-5\",\"settings\":{\"temperature\":0.2}}");
		assertThat(tree(hello().models("openai/gpt-5-nano", "anthropic/claude-haiku-4").build()).get("model")
			.toString()).isEqualTo("[\"openai/gpt-5-nano\",\"anthropic/claude-haiku-4\"]");
		ModelSpec mixed = ModelSpec.route(List.of(ModelSpec.of("a/b"), ModelSpec.of("c/d", Map.of("x", 1))));
		assertThat(tree(hello().model(mixed).build()).get("model").toString())
			.isEqualTo("[\"a/b\",{\"model\":\"c/d\",\"settings\":{\"x\":1}}]");
		assertThat(mixed.primaryId()).isEqualTo("a/b");
	}

	@Test
	void modelSpecReadsEveryForm() {
		var mapper = WireJson.defaultMapper();
		assertThat(mapper.readValue("\"a/b\"", ModelSpec.class)).isEqualTo(ModelSpec.of("a/b"));
		assertThat(mapper.readValue("{\"model\":\"a/b\",\"settings\":{\"x\":1}}", ModelSpec.class))
			.isEqualTo(ModelSpec.of("a/b", Map.of("x", 1)));
		assertThat(mapper.readValue("[\"a/b\",{\"model\":\"c/d\"}]", ModelSpec.class))
			.isEqualTo(ModelSpec.route(List.of(ModelSpec.of("a/b"), new ModelSpec.WithSettings("c/d", null))));
	}

	@Test
	void extraBodyIsSentAndWinsOverModelledFields() {
		ChatCompletionRequest request = hello().temperature(0.1)
			.extraBody("thinking", Map.of("type", "enabled", "budget_tokens", 1024))
			.extraBody(Map.of("temperature", 0.9, "custom_flag", true))
			.build();
		JsonNode tree = tree(request);
		assertThat(tree.at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
		assertThat(tree.get("temperature").asDouble()).isEqualTo(0.9);
		assertThat(tree.get("custom_flag").asBoolean()).isTrue();
		assertThat(tree.has("extra_body")).isFalse();
	}

	@Test
	void everyMessageKind() {
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.addMessage(ChatMessage.system("Be morose."))
			.addMessage(ChatMessage.developer("Cite Joyce."))
			.addMessage(ChatMessage.user(List.of(ContentPart.text("What is this?"),
					ContentPart.imageUrl("https://example.com/tower.png", "low"))))
			.addMessage(ChatMessage.assistant(null, List.of(ToolCall.function("call_1", "look", "{\"at\":\"tower\"}"))))
			.addMessage(ChatMessage.tool("call_1", "{\"seen\":\"Martello tower\"}"))
			.addMessage(ChatMessage.assistant("A tower.").withName("stephen"))
			.build();
		JsonNode messages = tree(request).get("messages");
		assertThat(messages.get(0).toString()).isEqualTo("{\"role\":\"system\",\"content\":\"Be morose.\"}");
		assertThat(messages.get(1).get("role").asString()).isEqualTo("developer");
		assertThat(messages.get(2).toString()).isEqualTo("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
				+ "\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/tower.png\","
				+ "\"detail\":\"low\"}}]}");
		assertThat(messages.get(3).toString()).isEqualTo("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\","
				+ "\"type\":\"function\",\"function\":{\"name\":\"look\",\"arguments\":\"{\\\"at\\\":\\\"tower\\\"}\"}}]}");
		assertThat(messages.get(4).toString())
			.isEqualTo("{\"role\":\"tool\",\"content\":\"{\\\"seen\\\":\\\"Martello tower\\\"}\",\"tool_call_id\":\"call_1\"}");
		assertThat(messages.get(5).toString())
			.isEqualTo("{\"role\":\"assistant\",\"content\":\"A tower.\",\"name\":\"stephen\"}");
	}

	@Test
	void messagesReadBackFromJson() {
		ChatMessage user = ChatMessage.user(List.of(ContentPart.text("hi"), ContentPart.imageUrl("data:image/png;base64,AA")));
		String json = WireJson.defaultMapper().writeValueAsString(user);
		assertThat(WireJson.defaultMapper().readValue(json, ChatMessage.class)).isEqualTo(user);
		ChatMessage tool = ChatMessage.tool("call_1", "42");
		assertThat(WireJson.defaultMapper().readValue(WireJson.defaultMapper().writeValueAsString(tool),
				ChatMessage.class))
			.isEqualTo(tool);
	}

	@Test
	void toolsAreSentAsFunctions() {
		Map<String, Object> schema = Map.of("type", "object", "properties",
				Map.of("city", Map.of("type", "string")), "required", List.of("city"));
		JsonNode tools = tree(hello().addTool(Tool.function("get_weather", "Get the current weather", schema)).build())
			.get("tools");
		assertThat(tools.at("/0/type").asString()).isEqualTo("function");
		assertThat(tools.at("/0/function/name").asString()).isEqualTo("get_weather");
		assertThat(tools.at("/0/function/description").asString()).isEqualTo("Get the current weather");
		assertThat(tools.at("/0/function/parameters/required/0").asString()).isEqualTo("city");
		assertThat(tools.at("/0/function").has("strict")).isFalse();
	}

	@Test
	void newBuilderCopiesEveryField() {
		ChatCompletionRequest original = hello().model("a/b").temperature(0.3).addMcpServer("x/y")
			.extraBody("k", "v")
			.build();
		ChatCompletionRequest copy = original.newBuilder().addMessage(ChatMessage.user("again")).build();
		assertThat(copy.model()).isEqualTo(original.model());
		assertThat(copy.temperature()).isEqualTo(0.3);
		assertThat(copy.mcpServers()).containsExactly("x/y");
		assertThat(copy.extraBody()).containsEntry("k", "v");
		assertThat(copy.messages()).hasSize(2);
		assertThat(original.messages()).hasSize(1);
	}

	@Test
	void buildRequiresAMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> ChatCompletionRequest.builder().model("a/b").build())
			.withMessageContaining("messages")
			.withMessageContaining("at least one message")
			.withMessageContaining("addMessage");
	}

	@Test
	void buildRejectsOutOfRangeValuesNamingTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> hello().temperature(3.5).build())
			.withMessage("temperature must be between 0 and 2, but was 3.5");
		assertThatIllegalArgumentException().isThrownBy(() -> hello().n(0).build())
			.withMessage("n must be at least 1, but was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> hello().topP(-0.1).build())
			.withMessage("top_p must be between 0 and 1, but was -0.1");
		assertThatIllegalArgumentException().isThrownBy(() -> hello().maxCompletionTokens(0).build())
			.withMessage("max_completion_tokens must be at least 1, but was 0");
	}

	@Test
	void blankModelAndToolNamesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> hello().model(" ").build())
			.withMessageContaining("model must not be blank");
		assertThatIllegalArgumentException().isThrownBy(() -> Tool.function("", null, null))
			.withMessageContaining("tool function name must not be blank");
		assertThatIllegalArgumentException().isThrownBy(() -> ChatMessage.tool("", "x"))
			.withMessageContaining("toolCallId");
	}

	@Test
	void toStringNamesTheShapeNotTheContent() {
		assertThat(hello().model("a/b").build().toString()).contains("model=a/b").contains("messages=1")
			.doesNotContain("hello");
	}

}
