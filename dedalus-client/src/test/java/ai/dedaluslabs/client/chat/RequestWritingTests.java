package ai.dedaluslabs.client.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.internal.RequestEncoder;
import ai.dedaluslabs.client.internal.RequestWriting;
import ai.dedaluslabs.client.json.WireJson;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RequestWriting} writes a request byte for byte as the wire mapper's data binding does,
 * for every field (driven by the generated field table) and every shape of message, model and
 * value the request types allow.
 */
class RequestWritingTests {

	private static final JsonMapper MAPPER = WireJson.defaultMapper();

	private static String written(ChatCompletionRequest request) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (JsonGenerator generator = MAPPER.createGenerator(bytes)) {
			new RequestWriting(MAPPER).write(generator, request);
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static void assertWrittenAsDataBindingWrites(ChatCompletionRequest request) {
		String expected = MAPPER.writeValueAsString(request);
		assertThat(written(request)).isEqualTo(expected);
	}

	private static ChatCompletionRequest.Builder hello() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("Hello"));
	}

	@Test
	void everyFieldAtOnce() {
		ChatCompletionRequest request = ChatCompletionRequest.fromJson(RequestFieldsRoundTripTests.everyField());
		assertWrittenAsDataBindingWrites(request);
		assertThat(MAPPER.readTree(written(request)).size()).isEqualTo(ChatCompletionRequest.FIELDS.size());
	}

	@Test
	void eachFieldAlone() {
		ObjectNode every = RequestFieldsRoundTripTests.everyField();
		for (String field : ChatCompletionRequest.FIELDS) {
			ObjectNode json = MAPPER.createObjectNode();
			json.set("messages", every.get("messages"));
			json.set(field, every.get(field));
			ChatCompletionRequest request = ChatCompletionRequest.fromJson(json);
			assertThat(written(request)).as(field).isEqualTo(MAPPER.writeValueAsString(request));
		}
	}

	@Test
	void onlyTheMessages() {
		assertWrittenAsDataBindingWrites(hello().build());
		assertThat(written(hello().build())).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
		assertThat(written(hello().model("m").build())).as("wire names in order, as data binding sorts them")
			.startsWith("{\"messages\"");
	}

	@Test
	void everyKindOfMessage() {
		ToolCall call = new ToolCall("call_1", "function", new FunctionCall("get_weather", "{\"city\":\"Dublin\"}"));
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.addMessage(ChatMessage.system("Be brief"))
			.addMessage(ChatMessage.developer("Answer in English"))
			.addMessage(ChatMessage.user("Who?").withName("stephen"))
			.addMessage(new ChatMessage("user", new MessageContent.Parts(List.of(ContentPart.text("What is this?"),
					ContentPart.imageUrl("https://example.com/a.png"),
					ContentPart.imageUrl("data:image/png;base64,AAAA", "low"))), null, List.of(), null, null))
			.addMessage(new ChatMessage("assistant", null, null, List.of(call), null, null))
			.addMessage(ChatMessage.tool("call_1", "{\"temp\":11}"))
			.addMessage(new ChatMessage("assistant", null, null, List.of(), null, "I cannot help with that"))
			.addMessage(ChatMessage.assistant("Done"))
			.build();
		assertWrittenAsDataBindingWrites(request);
	}

	@Test
	void textThatNeedsEscaping() {
		assertWrittenAsDataBindingWrites(ChatCompletionRequest.builder()
			.addMessage(ChatMessage.user("quotes \" backslash \\ newline \n tab \t nul \u0000 line sep \u2028 "
					+ "accents éü cjk 漢字 emoji 🧭 </script>"))
			.user("\u007f\u0080")
			.build());
	}

	@Test
	void everyShapeOfModel() {
		assertWrittenAsDataBindingWrites(hello().model("openai/gpt-5-nano").build());
		assertWrittenAsDataBindingWrites(hello().model(ModelSpec.of("openai/gpt-5", Map.of("top_k", 4))).build());
		assertWrittenAsDataBindingWrites(hello().model(new ModelSpec.WithSettings("openai/gpt-5", null)).build());
		assertWrittenAsDataBindingWrites(hello().models("openai/gpt-5-nano", "anthropic/claude-sonnet-4").build());
		assertWrittenAsDataBindingWrites(hello().model(ModelSpec.route(List.of(ModelSpec.of("openai/gpt-5-nano"),
				ModelSpec.of("anthropic/claude", Map.of("temperature", 0.2))))).build());
	}

	@Test
	void numbersAtTheirEdges() {
		assertWrittenAsDataBindingWrites(hello().temperature(1.0E-7)
			.topP(1.0)
			.presencePenalty(-2.0)
			.frequencyPenalty(0.1 + 0.2)
			.seed(Long.MIN_VALUE)
			.n(Integer.MAX_VALUE)
			.build());
	}

	@Test
	void javaValuesInFieldsTypedObject() {
		record Schema(String type, List<String> required) {
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("nested", List.of(1, 2.5, "three", Map.of("four", true)));
		settings.put("missing", null);
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("team", "a");
		metadata.put("none", null);
		assertWrittenAsDataBindingWrites(hello().responseFormat(Map.of("type", "json_schema", "schema",
				new Schema("object", List.of("city"))))
			.toolChoice("required")
			.stop(List.of("\n\n", "END"))
			.credentials(settings)
			.metadata(metadata)
			.addMcpServer("dedalus-labs/brave-search")
			.addMcpServer(Map.of("url", "https://mcp.example/x"))
			.streamOptions(new StreamOptions(null))
			.build());
	}

	@Test
	void aValueJacksonCannotWriteIsNamedAsSuch() {
		record Unreadable(String name) {
			public String getSecret() {
				throw new IllegalStateException("not today");
			}
		}
		ChatCompletionRequest request = hello().toolChoice(new Unreadable("x")).build();
		assertThatExceptionOfType(DedalusException.class)
			.isThrownBy(() -> new RequestEncoder(MAPPER, "default/model", true).encode(request, true))
			.withMessageContaining("could not be written as JSON")
			.withMessageContaining("must be plain data");
	}

	@Test
	void theEncoderFillsInTheClientsSettings() {
		String encoded = new String(new RequestEncoder(MAPPER, "default/model", true).encode(hello().build(), true),
				StandardCharsets.UTF_8);
		assertThat(encoded).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"model\":\"default/model\","
				+ "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
	}

}
