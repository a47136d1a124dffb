package ai.dedaluslabs.client.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request written as the API's JSON back into a {@link ChatCompletionRequest}: every
 * modelled field by its wire name, anything else into {@code extraBody}. Used by servers that
 * speak the API (a mock server, an OpenAI-compatible endpoint). Generated from the same field
 * list as the request class.
 */
final class RequestDecoding {

	private RequestDecoding() {
	}

	static ChatCompletionRequest read(JsonMapper mapper, JsonNode json) {
		if (!json.isObject()) {
			throw new IllegalArgumentException("request body must be a JSON object, not " + json.getNodeType());
		}
		ChatCompletionRequest.Builder builder = ChatCompletionRequest.builder();
		for (Map.Entry<String, JsonNode> field : json.properties()) {
			JsonNode value = field.getValue();
			if (value.isNull()) {
				// JSON null means unset, as the API treats it
				continue;
			}
			apply(mapper, builder, field.getKey(), value);
		}
		return builder.build();
	}

	private static void apply(JsonMapper mapper, ChatCompletionRequest.Builder builder, String name, JsonNode value) {
		switch (name) {
			case "model" -> builder.model(mapper.treeToValue(value, ModelSpec.class));
			case "messages" -> builder.messages(list(mapper, value, ChatMessage.class));
			case "tools" -> builder.tools(list(mapper, value, Tool.class));
			case "tool_choice" -> builder.toolChoice(mapper.treeToValue(value, Object.class));
			case "parallel_tool_calls" -> builder.parallelToolCalls(value.asBoolean());
			case "n" -> builder.n(value.asInt());
			case "temperature" -> builder.temperature(value.asDouble());
			case "top_p" -> builder.topP(value.asDouble());
			case "stop" -> builder.stop(mapper.treeToValue(value, Object.class));
			case "max_tokens" -> builder.maxTokens(value.asInt());
			case "max_completion_tokens" -> builder.maxCompletionTokens(value.asInt());
			case "presence_penalty" -> builder.presencePenalty(value.asDouble());
			case "frequency_penalty" -> builder.frequencyPenalty(value.asDouble());
			case "logit_bias" -> builder.logitBias(map(mapper, value));
			case "logprobs" -> builder.logprobs(value.asBoolean());
			case "top_logprobs" -> builder.topLogprobs(value.asInt());
			case "response_format" -> builder.responseFormat(mapper.treeToValue(value, Object.class));
			case "seed" -> builder.seed(value.asLong());
			case "user" -> builder.user(value.asString());
			case "safety_identifier" -> builder.safetyIdentifier(value.asString());
			case "prompt_cache_key" -> builder.promptCacheKey(value.asString());
			case "reasoning_effort" -> builder.reasoningEffort(value.asString());
			case "verbosity" -> builder.verbosity(value.asString());
			case "service_tier" -> builder.serviceTier(value.asString());
			case "metadata" -> builder.metadata(map(mapper, value));
			case "store" -> builder.store(value.asBoolean());
			case "modalities" -> builder.modalities(list(mapper, value, String.class));
			case "audio" -> builder.audio(mapper.treeToValue(value, Object.class));
			case "prediction" -> builder.prediction(mapper.treeToValue(value, Object.class));
			case "web_search_options" -> builder.webSearchOptions(mapper.treeToValue(value, Object.class));
			case "stream" -> builder.stream(value.asBoolean());
			case "stream_options" -> builder.streamOptions(mapper.treeToValue(value, StreamOptions.class));
			case "mcp_servers" -> builder.mcpServers(list(mapper, value, Object.class));
			case "credentials" -> builder.credentials(mapper.treeToValue(value, Object.class));
			case "automatic_tool_execution" -> builder.automaticToolExecution(value.asBoolean());
			case "max_turns" -> builder.maxTurns(value.asInt());
			case "handoff_config" -> builder.handoffConfig(mapper.treeToValue(value, Object.class));
			case "guardrails" -> builder.guardrails(mapper.treeToValue(value, Object.class));
			case "agent_attributes" -> builder.agentAttributes(mapper.treeToValue(value, Object.class));
			case "model_attributes" -> builder.modelAttributes(mapper.treeToValue(value, Object.class));
			case "deferred" -> builder.deferred(value.asBoolean());
			case "thinking" -> builder.thinking(mapper.treeToValue(value, Object.class));
			case "top_k" -> builder.topK(value.asInt());
			case "system_instruction" -> builder.systemInstruction(mapper.treeToValue(value, Object.class));
			default -> builder.extraBody(name, mapper.treeToValue(value, Object.class));
		}
	}

	private static <T> List<T> list(JsonMapper mapper, JsonNode value, Class<T> type) {
		if (!value.isArray()) {
			throw new IllegalArgumentException("expected a JSON array, not " + value.getNodeType());
		}
		List<T> items = new ArrayList<>(value.size());
		for (JsonNode item : value) {
			items.add(mapper.treeToValue(item, type));
		}
		return items;
	}

	@SuppressWarnings("unchecked")
	private static <V> Map<String, V> map(JsonMapper mapper, JsonNode value) {
		return (Map<String, V>) mapper.treeToValue(value, LinkedHashMap.class);
	}

}
