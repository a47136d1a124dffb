package ai.dedaluslabs.test;

import java.util.List;

import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.json.WireJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the API's JSON with its field order and its explicit {@code null}s
 * ({@code "logprobs":null,"finish_reason":null}), so scripted streams match recorded ones byte
 * for byte.
 */
final class ChunkJson {

	private static final JsonMapper MAPPER = WireJson.defaultMapper();

	private ChunkJson() {
	}

	/** The envelope of a chunk, with its choices to fill. */
	static ObjectNode chunk(StreamScript.Identity identity) {
		ObjectNode chunk = MAPPER.createObjectNode();
		chunk.put("id", identity.id());
		chunk.put("object", "chat.completion.chunk");
		chunk.put("created", identity.created());
		chunk.put("model", identity.model());
		chunk.putArray("choices");
		return chunk;
	}

	static ObjectNode choice(ObjectNode chunk, int index) {
		ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
		choice.put("index", index);
		ObjectNode delta = choice.putObject("delta");
		choice.putNull("logprobs");
		choice.putNull("finish_reason");
		return delta;
	}

	static void finish(ObjectNode chunk, int index, String reason) {
		ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
		choice.put("index", index);
		choice.putObject("delta");
		choice.putNull("logprobs");
		choice.put("finish_reason", reason);
	}

	static void close(ObjectNode chunk, StreamScript.Identity identity) {
		if (identity.systemFingerprint() != null) {
			chunk.put("system_fingerprint", identity.systemFingerprint());
		}
	}

	static void usage(ObjectNode chunk, int promptTokens, int completionTokens) {
		ObjectNode usage = chunk.putObject("usage");
		usage.put("prompt_tokens", promptTokens);
		usage.put("completion_tokens", completionTokens);
		usage.put("total_tokens", promptTokens + completionTokens);
	}

	static ObjectNode toolCall(ObjectNode delta, int index, @Nullable String id, @Nullable String name, String arguments) {
		ObjectNode call = delta.putArray("tool_calls").addObject();
		call.put("index", index);
		if (id != null) {
			call.put("id", id);
			call.put("type", "function");
		}
		ObjectNode function = call.putObject("function");
		if (name != null) {
			function.put("name", name);
		}
		function.put("arguments", arguments);
		return call;
	}

	static String write(ObjectNode node) {
		return MAPPER.writeValueAsString(node);
	}

	static String error(String message, String type, @Nullable String param, @Nullable String code) {
		return new ApiError(message, type, param, code).toJson();
	}

	static String completion(String model, String text, String finishReason, int promptTokens, int completionTokens) {
		ObjectNode body = MAPPER.createObjectNode();
		body.put("id", "chatcmpl-mock");
		body.put("object", "chat.completion");
		body.put("created", 1700000000L);
		body.put("model", model);
		ObjectNode choice = body.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		message.put("content", text);
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason);
		usage(body, promptTokens, completionTokens);
		return write(body);
	}

	static List<String> lines(String event) {
		return List.of("data: " + event);
	}

}
