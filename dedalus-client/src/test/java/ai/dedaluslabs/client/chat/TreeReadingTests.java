package ai.dedaluslabs.client.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import ai.dedaluslabs.client.json.WireJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TreeReading} decides nothing data binding would decide otherwise: for a request of
 * every shape the readers take, and for every mutation of each of its values (another JSON type,
 * removed, an unknown property beside it), reading the request with the readers gives the same
 * request, or the same error, as reading it by data binding alone.
 */
class TreeReadingTests {

	private static final JsonMapper MAPPER = WireJson.defaultMapper();

	private static final String REQUEST = """
			{"model":"openai/gpt-5-nano",
			 "messages":[
			  {"role":"system","content":"Be brief","name":"rules"},
			  {"role":"user","content":[{"type":"text","text":"What is this?"},
			    {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
			    {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
			  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
			    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Dublin\\"}"}}]},
			  {"role":"tool","tool_call_id":"call_1","content":"{\\"temp\\":11}"},
			  {"role":"assistant","refusal":"No","content":"No"}],
			 "stream":true,"stream_options":{"include_usage":true},
			 "n":1,"max_tokens":100,"max_completion_tokens":200,"top_logprobs":2,"seed":1234567890123,
			 "temperature":0.7,"top_p":1,"presence_penalty":-1.5,"frequency_penalty":0.25,
			 "user":"u-1","reasoning_effort":"low","parallel_tool_calls":false,"logprobs":true}
			""";

	/** What each value is replaced with in turn. */
	private static final List<String> REPLACEMENTS = List.of("null", "0", "3", "-7", "2.5", "1e400", "12345678901234",
			"true", "\"\"", "\" \"", "\"text\"", "\"3\"", "\"image_url\"", "[]", "[\"a\"]", "[{}]", "{}",
			"{\"k\":\"v\"}");

	private static String outcome(JsonNode json, boolean direct) {
		try {
			ChatCompletionRequest request = direct ? RequestDecoding.read(MAPPER, json)
					: RequestDecoding.readByDataBinding(MAPPER, json);
			return "request " + MAPPER.writeValueAsString(request) + " extra " + request.extraBody();
		}
		catch (IllegalArgumentException ex) {
			return "refused " + ex.getMessage();
		}
	}

	@Test
	void theReadersTakeEveryPlainShape() {
		JsonNode json = MAPPER.readTree(REQUEST);
		assertThat(TreeReading.messages(json.get("messages"))).hasSize(5);
		assertThat(TreeReading.model(json.get("model"))).isEqualTo(ModelSpec.of("openai/gpt-5-nano"));
		assertThat(TreeReading.streamOptions(json.get("stream_options"))).isEqualTo(StreamOptions.withUsage());
		assertThat(TreeReading.number(json.get("top_p"))).isEqualTo(1.0);
		assertThat(TreeReading.longInteger(json.get("seed"))).isEqualTo(1234567890123L);
		assertThat(TreeReading.integer(json.get("n"))).isEqualTo(1);
		assertThat(TreeReading.bool(json.get("logprobs"))).isTrue();
		assertThat(TreeReading.string(json.get("user"))).isEqualTo("u-1");
	}

	@Test
	void sameRequestAsDataBinding() {
		JsonNode json = MAPPER.readTree(REQUEST);
		assertThat(outcome(json, true)).startsWith("request ").isEqualTo(outcome(json, false));
	}

	@Test
	void everyMutationReadsAsDataBindingReadsIt() {
		JsonNode original = MAPPER.readTree(REQUEST);
		List<String> paths = new ArrayList<>();
		collect(original, "", paths);
		int cases = 0;
		int read = 0;
		for (String path : paths) {
			for (String replacement : REPLACEMENTS) {
				cases++;
				read += compare(original, path, (parent) -> replace(parent, path, MAPPER.readTree(replacement)),
						"%s replaced with %s".formatted(path, replacement));
			}
			cases++;
			read += compare(original, path, (parent) -> remove(parent, path), path + " removed");
			cases++;
			read += compare(original, path, (parent) -> {
				JsonNode node = parent.at(path);
				if (node instanceof ObjectNode object) {
					object.put("x_unknown", 1);
				}
			}, path + " with an unknown property");
		}
		assertThat(cases).isGreaterThan(1_000);
		assertThat(read).as("mutations both ways read as a request").isGreaterThan(100);
	}

	private static int compare(JsonNode original, String path, Consumer<JsonNode> mutation, String description) {
		JsonNode mutated = original.deepCopy();
		mutation.accept(mutated);
		String expected = outcome(mutated, false);
		assertThat(outcome(mutated, true)).as(description).isEqualTo(expected);
		return expected.startsWith("request ") ? 1 : 0;
	}

	private static void collect(JsonNode node, String path, List<String> paths) {
		if (!path.isEmpty()) {
			paths.add(path);
		}
		if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				collect(field.getValue(), path + "/" + field.getKey(), paths);
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				collect(array.get(i), path + "/" + i, paths);
			}
		}
	}

	private static void replace(JsonNode root, String path, JsonNode value) {
		JsonNode parent = root.at(parentOf(path));
		String last = path.substring(path.lastIndexOf('/') + 1);
		if (parent instanceof ObjectNode object) {
			object.set(last, value);
		}
		else if (parent instanceof ArrayNode array) {
			array.set(Integer.parseInt(last), value);
		}
	}

	private static void remove(JsonNode root, String path) {
		JsonNode parent = root.at(parentOf(path));
		String last = path.substring(path.lastIndexOf('/') + 1);
		if (parent instanceof ObjectNode object) {
			object.remove(last);
		}
		else if (parent instanceof ArrayNode array) {
			array.remove(Integer.parseInt(last));
		}
	}

	private static String parentOf(String path) {
		return path.substring(0, path.lastIndexOf('/'));
	}

}
