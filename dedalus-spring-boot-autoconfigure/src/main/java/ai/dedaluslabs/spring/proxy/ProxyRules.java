package ai.dedaluslabs.spring.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ModelSpec;
import ai.dedaluslabs.spring.web.OpenAiErrorBody;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The backend owner's rules, deny by default: which request fields callers may send (the
 * OpenAI-compatible ones a chat front end needs, plus what the owner allows), which models (glob
 * patterns over whole ids, {@code *} matching any characters including {@code /}), how many
 * choices, which MCP servers, and the largest completion.
 */
final class ProxyRules {

	/**
	 * The fields every caller may send: what a chat front end needs from the OpenAI API. Left out on
	 * purpose, so that only an owner can allow them: fields that change the price or where data is
	 * kept ({@code service_tier}, {@code store}, {@code audio}, {@code web_search_options}), Dedalus's
	 * agent fields (MCP servers, credentials, tool execution, turns, handoff, guardrails,
	 * attributes, deferred), provider passthroughs, and anything unknown.
	 */
	static final Set<String> OPENAI_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "parallel_tool_calls",
			"n", "temperature", "top_p", "stop", "max_tokens", "max_completion_tokens", "presence_penalty",
			"frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "response_format", "seed", "user",
			"safety_identifier", "prompt_cache_key", "reasoning_effort", "verbosity", "metadata", "modalities",
			"prediction", "stream", "stream_options");

	/** What the owner names to let a model be given as {@code {"model": ..., "settings": ...}}. */
	static final String MODEL_SETTINGS = "model.settings";

	/** A model id: no whitespace, no commas, no {@code ..}; ids that are not are refused before matching. */
	private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+-]*");

	private final List<String> allowedModels;

	private final List<Pattern> modelPatterns;

	private final List<Pattern> mcpServerPatterns;

	private final Set<String> allowedFields;

	private final String defaultModel;

	private final int maxCompletionTokens;

	private final int maxChoices;

	ProxyRules(ProxySettings settings, String defaultModel) {
		this.allowedModels = settings.allowedModels().isEmpty() ? List.of(defaultModel) : settings.allowedModels();
		this.modelPatterns = this.allowedModels.stream().map(ProxyRules::glob).toList();
		this.mcpServerPatterns = settings.allowedMcpServers().stream().map(ProxyRules::glob).toList();
		this.allowedFields = Set.copyOf(settings.allowedFields());
		this.defaultModel = defaultModel;
		this.maxCompletionTokens = settings.maxCompletionTokens();
		this.maxChoices = settings.maxChoices();
	}

	/**
	 * A refusal of the first field the owner did not allow, or {@code null}: checked on the JSON
	 * before it is read, so that a refused field is reported as such, whatever its shape.
	 */
	@Nullable OpenAiErrorBody checkFields(JsonNode json) {
		for (Map.Entry<String, JsonNode> field : json.properties()) {
			String name = field.getKey();
			if (!OPENAI_FIELDS.contains(name) && !this.allowedFields.contains(name)) {
				return refuse("The field '" + name + "' is not accepted by this endpoint", name, "field_not_allowed");
			}
		}
		return null;
	}

	/** A refusal, or {@code null} when the request keeps every rule on values. */
	@Nullable OpenAiErrorBody check(ChatCompletionRequest request) {
		OpenAiErrorBody model = checkModel(request);
		if (model != null) {
			return model;
		}
		if (request.n() != null && request.n() > this.maxChoices) {
			return refuse("n may be at most " + this.maxChoices + " here", "n", "too_many_choices");
		}
		if (request.maxTokens() != null && request.maxTokens() > this.maxCompletionTokens) {
			return refuse("max_tokens may be at most " + this.maxCompletionTokens + " here", "max_tokens",
					"max_tokens_too_large");
		}
		if (request.maxCompletionTokens() != null && request.maxCompletionTokens() > this.maxCompletionTokens) {
			return refuse("max_completion_tokens may be at most " + this.maxCompletionTokens + " here",
					"max_completion_tokens", "max_tokens_too_large");
		}
		for (Object server : request.mcpServers()) {
			String name = mcpServerName(server);
			if (name == null || !matchesAny(this.mcpServerPatterns, name)) {
				return refuse("The MCP server " + ((name != null) ? "'" + name + "' " : "") + "is not available "
						+ "through this endpoint", "mcp_servers", "mcp_server_not_allowed");
			}
		}
		return null;
	}

	private @Nullable OpenAiErrorBody checkModel(ChatCompletionRequest request) {
		ModelSpec spec = request.model();
		List<ModelSpec> models = new ArrayList<>();
		if (spec instanceof ModelSpec.Routing routing) {
			models.addAll(routing.models());
		}
		else {
			models.add((spec != null) ? spec : ModelSpec.of(this.defaultModel));
		}
		for (ModelSpec model : models) {
			if (!(model instanceof ModelSpec.Id) && !this.allowedFields.contains(MODEL_SETTINGS)) {
				return refuse("A model's settings are not accepted by this endpoint; name the model only", "model",
						"field_not_allowed");
			}
			if (!allows(model.primaryId())) {
				return refuse("The model '" + model.primaryId() + "' is not available through this endpoint", "model",
						"model_not_allowed");
			}
		}
		return null;
	}

	/** The request as sent upstream: the completion limit applied when the caller set none. */
	ChatCompletionRequest apply(ChatCompletionRequest request) {
		ChatCompletionRequest.Builder upstream = request.newBuilder().streamOptions(null);
		if (request.maxTokens() == null && request.maxCompletionTokens() == null) {
			upstream.maxCompletionTokens(this.maxCompletionTokens);
		}
		return upstream.build();
	}

	boolean allows(String model) {
		return MODEL_ID.matcher(model).matches() && !model.contains("..") && matchesAny(this.modelPatterns, model);
	}

	/** The model ids a caller may name exactly (patterns without wildcards). */
	List<String> literalModels() {
		return this.allowedModels.stream().filter((model) -> !model.contains("*") && !model.contains("?")).toList();
	}

	String defaultModel() {
		return this.defaultModel;
	}

	private static @Nullable String mcpServerName(Object server) {
		if (server instanceof String text) {
			return text;
		}
		if (server instanceof Map<?, ?> spec) {
			Object url = spec.get("url");
			Object name = (url != null) ? url : spec.get("name");
			return (name instanceof String text) ? text : null;
		}
		return null;
	}

	private static boolean matchesAny(List<Pattern> patterns, String value) {
		for (Pattern pattern : patterns) {
			if (pattern.matcher(value).matches()) {
				return true;
			}
		}
		return false;
	}

	private static OpenAiErrorBody refuse(String message, String param, String code) {
		return OpenAiErrorBody.invalidRequest(message, param, code);
	}

	private static Pattern glob(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString());
	}

}
