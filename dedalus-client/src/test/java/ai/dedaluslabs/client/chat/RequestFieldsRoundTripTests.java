package ai.dedaluslabs.client.chat;

import java.util.Map;

import ai.dedaluslabs.client.internal.RequestEncoder;
import ai.dedaluslabs.client.json.WireJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Round trips over every field of {@link ChatCompletionRequest}, driven by its generated field
 * table: a field that is declared but not read, written or copied fails here.
 */
class RequestFieldsRoundTripTests {

	private static final JsonMapper MAPPER = WireJson.defaultMapper();

	/** A value of each stored type; a new type gets its sample here (the test says which). */
	static final Map<String, String> SAMPLES = Map.ofEntries(Map.entry("Double", "0.5"),
			Map.entry("Integer", "3"), Map.entry("Long", "42"), Map.entry("Boolean", "true"),
			Map.entry("String", "\"value\""), Map.entry("Object", "{\"kind\":\"any\",\"items\":[1,2]}"),
			Map.entry("ModelSpec", "[\"openai/gpt-5-nano\",{\"model\":\"anthropic/claude\",\"settings\":{\"top_k\":4}}]"),
			Map.entry("List<ChatMessage>", "[{\"role\":\"system\",\"content\":\"Be brief\"},{\"role\":\"user\",\"content\":\"Hi\"}]"),
			Map.entry("List<Tool>", "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
					+ "\"parameters\":{\"type\":\"object\"}}}]"),
			Map.entry("List<String>", "[\"text\",\"audio\"]"),
			Map.entry("List<Object>", "[\"dedalus-labs/brave-search\",{\"url\":\"https://mcp.example/x\"}]"),
			Map.entry("Map<String, Integer>", "{\"50256\":-100}"), Map.entry("Map<String, String>", "{\"team\":\"a\"}"),
			Map.entry("StreamOptions", "{\"include_usage\":true}"));

	static ObjectNode everyField() {
		ObjectNode json = MAPPER.createObjectNode();
		for (String field : ChatCompletionRequest.FIELDS) {
			String type = ChatCompletionRequest.FIELD_TYPES.get(field);
			String sample = SAMPLES.get(type);
			assertThat(sample).as("a sample value for the type %s of field %s", type, field).isNotNull();
			json.set(field, MAPPER.readTree(sample));
		}
		return json;
	}

	@Test
	void everyFieldHasAType() {
		assertThat(ChatCompletionRequest.FIELD_TYPES.keySet()).containsExactlyInAnyOrderElementsOf(ChatCompletionRequest.FIELDS);
		assertThat(ChatCompletionRequest.FIELDS).hasSizeGreaterThanOrEqualTo(44).doesNotHaveDuplicates();
	}

	@Test
	void everyFieldSurvivesJsonToRequestToJson() {
		ObjectNode json = everyField();
		ChatCompletionRequest request = ChatCompletionRequest.fromJson(json);
		assertThat(request.extraBody()).as("every field is modelled, none falls into extraBody").isEmpty();
		// Read back from text, so that numbers compare by value, not by node class (42 as int or long).
		JsonNode written = MAPPER.readTree(new RequestEncoder(MAPPER, "default/model", true).encode(request, true));
		assertThat(written).isEqualTo(json);
	}

	@Test
	void newBuilderCopiesEveryField() {
		ChatCompletionRequest request = ChatCompletionRequest.fromJson(everyField());
		RequestEncoder encoder = new RequestEncoder(MAPPER, "default/model", true);
		assertThat(encoder.toTree(request.newBuilder().build(), true)).isEqualTo(encoder.toTree(request, true));
	}

	@Test
	void everyFieldHasAnAccessorThatReturnsItsValue() throws Exception {
		ChatCompletionRequest request = ChatCompletionRequest.fromJson(everyField());
		for (java.lang.reflect.Field field : ChatCompletionRequest.class.getDeclaredFields()) {
			if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) || field.getName().equals("extraBody")) {
				continue;
			}
			Object value = ChatCompletionRequest.class.getMethod(field.getName()).invoke(request);
			assertThat(value).as("accessor %s()", field.getName()).isNotNull();
			if (value instanceof java.util.Collection<?> collection) {
				assertThat(collection).as("accessor %s()", field.getName()).isNotEmpty();
			}
			if (value instanceof Map<?, ?> map) {
				assertThat(map).as("accessor %s()", field.getName()).isNotEmpty();
			}
		}
	}

	@Test
	void wrongShapeIsNamedInTheApisTerms() {
		ObjectNode json = everyField();
		json.put("temperature", "hot");
		assertThatIllegalArgumentException().isThrownBy(() -> ChatCompletionRequest.fromJson(json))
			.withMessage("'temperature' must be a number");
		ObjectNode messages = everyField();
		messages.put("messages", 7);
		assertThatIllegalArgumentException().isThrownBy(() -> ChatCompletionRequest.fromJson(messages))
			.withMessage("'messages' must be an array of messages");
		ObjectNode nullMessage = everyField();
		nullMessage.withArray("messages").addNull();
		assertThatIllegalArgumentException().isThrownBy(() -> ChatCompletionRequest.fromJson(nullMessage))
			.withMessage("'messages' must be an array of messages, not null at index 2");
		ObjectNode nullServer = everyField();
		nullServer.withArray("mcp_servers").insertNull(0);
		assertThatIllegalArgumentException().isThrownBy(() -> ChatCompletionRequest.fromJson(nullServer))
			.withMessage("'mcp_servers' must be an array, not null at index 0");
		ObjectNode streamOptions = everyField();
		streamOptions.put("stream_options", 1.5);
		assertThatIllegalArgumentException().isThrownBy(() -> ChatCompletionRequest.fromJson(streamOptions))
			.withMessage("'stream_options' must be an object")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("ai.dedaluslabs", "Node"));
	}

}
