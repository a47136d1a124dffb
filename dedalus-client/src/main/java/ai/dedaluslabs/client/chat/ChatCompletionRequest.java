package ai.dedaluslabs.client.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A chat-completions request: every OpenAI-compatible field the Dedalus API takes, the Dedalus
 * fields (routing, MCP servers, handoff, guardrails, ...), provider passthroughs, and
 * {@link Builder#extraBody(String, Object) extraBody} for anything not modelled here. Immutable;
 * create one with {@link #builder()} and copy one with {@link #newBuilder()}.
 *
 * <p>
 * Fields left unset are not sent, so the API applies its own defaults. {@code extraBody} entries
 * are sent as top-level fields and replace a modelled field of the same name.
 *
 * <pre class="code">
 * ChatCompletionRequest request = ChatCompletionRequest.builder()
 *     .model("openai/gpt-5-nano")
 *     .addMessage(ChatMessage.system("You are Stephen Dedalus. Respond in morose Joycean malaise."))
 *     .addMessage(ChatMessage.user("What do you think of artificial intelligence?"))
 *     .build();
 * </pre>
 *
 * @since 0.1.0
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ChatCompletionRequest {
	private final @Nullable ModelSpec model;
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	private final List<ChatMessage> messages;
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	private final List<Tool> tools;
	private final @Nullable Object toolChoice;
	private final @Nullable Boolean parallelToolCalls;
	private final @Nullable Integer n;
	private final @Nullable Double temperature;
	private final @Nullable Double topP;
	private final @Nullable Object stop;
	private final @Nullable Integer maxTokens;
	private final @Nullable Integer maxCompletionTokens;
	private final @Nullable Double presencePenalty;
	private final @Nullable Double frequencyPenalty;
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	private final Map<String, Integer> logitBias;
	private final @Nullable Boolean logprobs;
	private final @Nullable Integer topLogprobs;
	private final @Nullable Object responseFormat;
	private final @Nullable Long seed;
	private final @Nullable String user;
	private final @Nullable String safetyIdentifier;
	private final @Nullable String promptCacheKey;
	private final @Nullable String reasoningEffort;
	private final @Nullable String verbosity;
	private final @Nullable String serviceTier;
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	private final Map<String, String> metadata;
	private final @Nullable Boolean store;
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	private final List<String> modalities;
	private final @Nullable Object audio;
	private final @Nullable Object prediction;
	private final @Nullable Object webSearchOptions;
	private final @Nullable Boolean stream;
	private final @Nullable StreamOptions streamOptions;
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	private final List<Object> mcpServers;
	private final @Nullable Object credentials;
	private final @Nullable Boolean automaticToolExecution;
	private final @Nullable Integer maxTurns;
	private final @Nullable Object handoffConfig;
	private final @Nullable Object guardrails;
	private final @Nullable Object agentAttributes;
	private final @Nullable Object modelAttributes;
	private final @Nullable Boolean deferred;
	private final @Nullable Object thinking;
	private final @Nullable Integer topK;
	private final @Nullable Object systemInstruction;
	@JsonIgnore
	private final Map<String, @Nullable Object> extraBody;

	private ChatCompletionRequest(Builder builder) {
		this.model = builder.model;
		this.messages = List.copyOf(builder.messages);
		this.tools = List.copyOf(builder.tools);
		this.toolChoice = builder.toolChoice;
		this.parallelToolCalls = builder.parallelToolCalls;
		this.n = builder.n;
		this.temperature = builder.temperature;
		this.topP = builder.topP;
		this.stop = builder.stop;
		this.maxTokens = builder.maxTokens;
		this.maxCompletionTokens = builder.maxCompletionTokens;
		this.presencePenalty = builder.presencePenalty;
		this.frequencyPenalty = builder.frequencyPenalty;
		this.logitBias = Collections.unmodifiableMap(new LinkedHashMap<>(builder.logitBias));
		this.logprobs = builder.logprobs;
		this.topLogprobs = builder.topLogprobs;
		this.responseFormat = builder.responseFormat;
		this.seed = builder.seed;
		this.user = builder.user;
		this.safetyIdentifier = builder.safetyIdentifier;
		this.promptCacheKey = builder.promptCacheKey;
		this.reasoningEffort = builder.reasoningEffort;
		this.verbosity = builder.verbosity;
		this.serviceTier = builder.serviceTier;
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadata));
		this.store = builder.store;
		this.modalities = List.copyOf(builder.modalities);
		this.audio = builder.audio;
		this.prediction = builder.prediction;
		this.webSearchOptions = builder.webSearchOptions;
		this.stream = builder.stream;
		this.streamOptions = builder.streamOptions;
		this.mcpServers = List.copyOf(builder.mcpServers);
		this.credentials = builder.credentials;
		this.automaticToolExecution = builder.automaticToolExecution;
		this.maxTurns = builder.maxTurns;
		this.handoffConfig = builder.handoffConfig;
		this.guardrails = builder.guardrails;
		this.agentAttributes = builder.agentAttributes;
		this.modelAttributes = builder.modelAttributes;
		this.deferred = builder.deferred;
		this.thinking = builder.thinking;
		this.topK = builder.topK;
		this.systemInstruction = builder.systemInstruction;
		this.extraBody = Collections.unmodifiableMap(new LinkedHashMap<>(builder.extraBody));
	}

	/**
	 * Read a request from the API's JSON: modelled fields by their wire names, anything else into
	 * {@link #extraBody()}. For servers that speak the API, such as a mock server or an
	 * OpenAI-compatible endpoint.
	 * @param json the request body as a tree
	 * @return the request, validated as {@link Builder#build()} does
	 * @throws IllegalArgumentException when a field has the wrong shape or a value is out of range
	 */
	public static ChatCompletionRequest fromJson(tools.jackson.databind.JsonNode json) {
		try {
			return RequestDecoding.read(ai.dedaluslabs.client.json.WireJson.defaultMapper(), json);
		}
		catch (tools.jackson.core.JacksonException ex) {
			throw new IllegalArgumentException("request does not match the chat-completions schema: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Start a request.
	 * @return a new, empty builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start a copy of this request, to change some fields.
	 * @return a builder holding this request's values
	 */
	public Builder newBuilder() {
		return new Builder(this);
	}

	/**
	 * {@code model}: the model, or {@code null} to use the client's default model.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable ModelSpec model() {
		return this.model;
	}

	/**
	 * {@code messages}: the conversation so far; at least one message.
	 * @return the value, empty when unset
	 */
	public List<ChatMessage> messages() {
		return this.messages;
	}

	/**
	 * {@code tools}: tools the model may call; empty when none.
	 * @return the value, empty when unset
	 */
	public List<Tool> tools() {
		return this.tools;
	}

	/**
	 * {@code tool_choice}: {@code "auto"}, {@code "none"}, {@code "required"} or {@code {"type":"function","function":{"name":...}}}.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object toolChoice() {
		return this.toolChoice;
	}

	/**
	 * {@code parallel_tool_calls}: whether the model may call several tools at once.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Boolean parallelToolCalls() {
		return this.parallelToolCalls;
	}

	/**
	 * {@code n}: how many choices to generate.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Integer n() {
		return this.n;
	}

	/**
	 * {@code temperature}: sampling temperature, 0 to 2.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Double temperature() {
		return this.temperature;
	}

	/**
	 * {@code top_p}: nucleus sampling mass, 0 to 1.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Double topP() {
		return this.topP;
	}

	/**
	 * {@code stop}: a stop sequence or a list of up to four.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object stop() {
		return this.stop;
	}

	/**
	 * {@code max_tokens}: the legacy token limit for the completion.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Integer maxTokens() {
		return this.maxTokens;
	}

	/**
	 * {@code max_completion_tokens}: the token limit for the completion, reasoning included.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Integer maxCompletionTokens() {
		return this.maxCompletionTokens;
	}

	/**
	 * {@code presence_penalty}: presence penalty, -2 to 2.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Double presencePenalty() {
		return this.presencePenalty;
	}

	/**
	 * {@code frequency_penalty}: frequency penalty, -2 to 2.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Double frequencyPenalty() {
		return this.frequencyPenalty;
	}

	/**
	 * {@code logit_bias}: token id to bias, -100 to 100.
	 * @return the value, empty when unset
	 */
	public Map<String, Integer> logitBias() {
		return this.logitBias;
	}

	/**
	 * {@code logprobs}: whether to return log probabilities of the output tokens.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Boolean logprobs() {
		return this.logprobs;
	}

	/**
	 * {@code top_logprobs}: how many most likely tokens to return per position, 0 to 20.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Integer topLogprobs() {
		return this.topLogprobs;
	}

	/**
	 * {@code response_format}: the output format, such as {@code {"type":"json_schema",...}}.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object responseFormat() {
		return this.responseFormat;
	}

	/**
	 * {@code seed}: a seed for best-effort deterministic sampling.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Long seed() {
		return this.seed;
	}

	/**
	 * {@code user}: a stable id of the end user, for abuse monitoring.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable String user() {
		return this.user;
	}

	/**
	 * {@code safety_identifier}: a stable, hashed id of the end user for safety systems.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable String safetyIdentifier() {
		return this.safetyIdentifier;
	}

	/**
	 * {@code prompt_cache_key}: a key that groups requests for the provider's prompt cache.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable String promptCacheKey() {
		return this.promptCacheKey;
	}

	/**
	 * {@code reasoning_effort}: {@code minimal}, {@code low}, {@code medium} or {@code high}, for reasoning models.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable String reasoningEffort() {
		return this.reasoningEffort;
	}

	/**
	 * {@code verbosity}: {@code low}, {@code medium} or {@code high}, for models that support it.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable String verbosity() {
		return this.verbosity;
	}

	/**
	 * {@code service_tier}: the provider's service tier, such as {@code auto} or {@code flex}.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable String serviceTier() {
		return this.serviceTier;
	}

	/**
	 * {@code metadata}: key-value pairs stored with the completion.
	 * @return the value, empty when unset
	 */
	public Map<String, String> metadata() {
		return this.metadata;
	}

	/**
	 * {@code store}: whether the provider stores the completion.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Boolean store() {
		return this.store;
	}

	/**
	 * {@code modalities}: output modalities, such as {@code ["text"]}.
	 * @return the value, empty when unset
	 */
	public List<String> modalities() {
		return this.modalities;
	}

	/**
	 * {@code audio}: audio output parameters.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object audio() {
		return this.audio;
	}

	/**
	 * {@code prediction}: predicted output, to speed up regeneration.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object prediction() {
		return this.prediction;
	}

	/**
	 * {@code web_search_options}: web search parameters, for models that search.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object webSearchOptions() {
		return this.webSearchOptions;
	}

	/**
	 * {@code stream}: whether to stream; the client sets it, so leave it unset.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Boolean stream() {
		return this.stream;
	}

	/**
	 * {@code stream_options}: stream options; the client asks for usage unless this is set.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable StreamOptions streamOptions() {
		return this.streamOptions;
	}

	/**
	 * {@code mcp_servers}: Dedalus: MCP servers the model may use, as slugs, URLs or spec objects.
	 * @return the value, empty when unset
	 */
	public List<Object> mcpServers() {
		return this.mcpServers;
	}

	/**
	 * {@code credentials}: Dedalus: credentials for MCP servers.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object credentials() {
		return this.credentials;
	}

	/**
	 * {@code automatic_tool_execution}: Dedalus: whether Dedalus runs tools itself.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Boolean automaticToolExecution() {
		return this.automaticToolExecution;
	}

	/**
	 * {@code max_turns}: Dedalus: the most model turns in one request.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Integer maxTurns() {
		return this.maxTurns;
	}

	/**
	 * {@code handoff_config}: Dedalus: how routing hands off between models.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object handoffConfig() {
		return this.handoffConfig;
	}

	/**
	 * {@code guardrails}: Dedalus: guardrails applied to the conversation.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object guardrails() {
		return this.guardrails;
	}

	/**
	 * {@code agent_attributes}: Dedalus: attributes of the agent, used for routing.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object agentAttributes() {
		return this.agentAttributes;
	}

	/**
	 * {@code model_attributes}: Dedalus: attributes of the candidate models, used for routing.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object modelAttributes() {
		return this.modelAttributes;
	}

	/**
	 * {@code deferred}: Dedalus: whether to run the request deferred.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Boolean deferred() {
		return this.deferred;
	}

	/**
	 * {@code thinking}: provider passthrough: extended thinking settings (Anthropic).
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object thinking() {
		return this.thinking;
	}

	/**
	 * {@code top_k}: provider passthrough: top-k sampling.
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Integer topK() {
		return this.topK;
	}

	/**
	 * {@code system_instruction}: provider passthrough: a system instruction (Google).
	 * @return the value, or {@code null} when unset
	 */
	public @Nullable Object systemInstruction() {
		return this.systemInstruction;
	}

	/**
	 * Fields sent as they are, beside the modelled ones.
	 * @return the extra fields, empty when none
	 */
	public Map<String, @Nullable Object> extraBody() {
		return this.extraBody;
	}

	@Override
	public String toString() {
		return "ChatCompletionRequest[model=" + ((this.model != null) ? this.model.primaryId() : "(default)")
				+ ", messages=" + this.messages.size() + ", tools=" + this.tools.size() + ", stream=" + this.stream + "]";
	}

	/**
	 * Builds a {@link ChatCompletionRequest}. Setters replace, {@code add*} methods append;
	 * {@link #build()} validates.
	 */
	public static final class Builder {

		private @Nullable ModelSpec model;

		private final List<ChatMessage> messages = new ArrayList<>();

		private final List<Tool> tools = new ArrayList<>();

		private @Nullable Object toolChoice;

		private @Nullable Boolean parallelToolCalls;

		private @Nullable Integer n;

		private @Nullable Double temperature;

		private @Nullable Double topP;

		private @Nullable Object stop;

		private @Nullable Integer maxTokens;

		private @Nullable Integer maxCompletionTokens;

		private @Nullable Double presencePenalty;

		private @Nullable Double frequencyPenalty;

		private final Map<String, Integer> logitBias = new LinkedHashMap<>();

		private @Nullable Boolean logprobs;

		private @Nullable Integer topLogprobs;

		private @Nullable Object responseFormat;

		private @Nullable Long seed;

		private @Nullable String user;

		private @Nullable String safetyIdentifier;

		private @Nullable String promptCacheKey;

		private @Nullable String reasoningEffort;

		private @Nullable String verbosity;

		private @Nullable String serviceTier;

		private final Map<String, String> metadata = new LinkedHashMap<>();

		private @Nullable Boolean store;

		private final List<String> modalities = new ArrayList<>();

		private @Nullable Object audio;

		private @Nullable Object prediction;

		private @Nullable Object webSearchOptions;

		private @Nullable Boolean stream;

		private @Nullable StreamOptions streamOptions;

		private final List<Object> mcpServers = new ArrayList<>();

		private @Nullable Object credentials;

		private @Nullable Boolean automaticToolExecution;

		private @Nullable Integer maxTurns;

		private @Nullable Object handoffConfig;

		private @Nullable Object guardrails;

		private @Nullable Object agentAttributes;

		private @Nullable Object modelAttributes;

		private @Nullable Boolean deferred;

		private @Nullable Object thinking;

		private @Nullable Integer topK;

		private @Nullable Object systemInstruction;

		private final Map<String, @Nullable Object> extraBody = new LinkedHashMap<>();

		private Builder() {
		}

		private Builder(ChatCompletionRequest request) {
			this.model = request.model;
			this.messages.addAll(request.messages);
			this.tools.addAll(request.tools);
			this.toolChoice = request.toolChoice;
			this.parallelToolCalls = request.parallelToolCalls;
			this.n = request.n;
			this.temperature = request.temperature;
			this.topP = request.topP;
			this.stop = request.stop;
			this.maxTokens = request.maxTokens;
			this.maxCompletionTokens = request.maxCompletionTokens;
			this.presencePenalty = request.presencePenalty;
			this.frequencyPenalty = request.frequencyPenalty;
			this.logitBias.putAll(request.logitBias);
			this.logprobs = request.logprobs;
			this.topLogprobs = request.topLogprobs;
			this.responseFormat = request.responseFormat;
			this.seed = request.seed;
			this.user = request.user;
			this.safetyIdentifier = request.safetyIdentifier;
			this.promptCacheKey = request.promptCacheKey;
			this.reasoningEffort = request.reasoningEffort;
			this.verbosity = request.verbosity;
			this.serviceTier = request.serviceTier;
			this.metadata.putAll(request.metadata);
			this.store = request.store;
			this.modalities.addAll(request.modalities);
			this.audio = request.audio;
			this.prediction = request.prediction;
			this.webSearchOptions = request.webSearchOptions;
			this.stream = request.stream;
			this.streamOptions = request.streamOptions;
			this.mcpServers.addAll(request.mcpServers);
			this.credentials = request.credentials;
			this.automaticToolExecution = request.automaticToolExecution;
			this.maxTurns = request.maxTurns;
			this.handoffConfig = request.handoffConfig;
			this.guardrails = request.guardrails;
			this.agentAttributes = request.agentAttributes;
			this.modelAttributes = request.modelAttributes;
			this.deferred = request.deferred;
			this.thinking = request.thinking;
			this.topK = request.topK;
			this.systemInstruction = request.systemInstruction;
			this.extraBody.putAll(request.extraBody);
		}

		/**
		 * Use a model by id.
		 * @param model the model id, such as {@code openai/gpt-5-nano}, or {@code null} for the client's default
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.model = (model != null) ? ModelSpec.of(model) : null;
			return this;
		}

		/**
		 * Use a model with settings, or a routing list.
		 * @param model the model, or {@code null} for the client's default
		 * @return this builder
		 */
		public Builder model(@Nullable ModelSpec model) {
			this.model = model;
			return this;
		}

		/**
		 * Route between several models; Dedalus picks and hands off between them.
		 * @param models the candidate model ids, at least one
		 * @return this builder
		 */
		public Builder models(String... models) {
			this.model = ModelSpec.route(java.util.Arrays.stream(models).map(ModelSpec::of).toList());
			return this;
		}

		/**
		 * Append a message.
		 * @param message the message
		 * @return this builder
		 */
		public Builder addMessage(ChatMessage message) {
			this.messages.add(Objects.requireNonNull(message, "message"));
			return this;
		}

		/**
		 * Replace the messages.
		 * @param messages the messages
		 * @return this builder
		 */
		public Builder messages(List<ChatMessage> messages) {
			Objects.requireNonNull(messages, "messages");
			this.messages.clear();
			messages.forEach(this::addMessage);
			return this;
		}

		/**
		 * Append a tool.
		 * @param tool the tool
		 * @return this builder
		 */
		public Builder addTool(Tool tool) {
			this.tools.add(Objects.requireNonNull(tool, "tool"));
			return this;
		}

		/**
		 * Replace the tools.
		 * @param tools the tools
		 * @return this builder
		 */
		public Builder tools(List<Tool> tools) {
			Objects.requireNonNull(tools, "tools");
			this.tools.clear();
			tools.forEach(this::addTool);
			return this;
		}

		/**
		 * Append an MCP server for Dedalus to connect the model to.
		 * @param server a slug such as {@code dedalus-labs/brave-search}, a URL, or a spec object
		 * @return this builder
		 */
		public Builder addMcpServer(Object server) {
			this.mcpServers.add(Objects.requireNonNull(server, "server"));
			return this;
		}

		/**
		 * Replace the MCP servers.
		 * @param servers slugs, URLs or spec objects
		 * @return this builder
		 */
		public Builder mcpServers(List<?> servers) {
			Objects.requireNonNull(servers, "servers");
			this.mcpServers.clear();
			servers.forEach(this::addMcpServer);
			return this;
		}

		/**
		 * Replace the output modalities.
		 * @param modalities such as {@code text}, {@code audio}
		 * @return this builder
		 */
		public Builder modalities(List<String> modalities) {
			this.modalities.clear();
			this.modalities.addAll(modalities);
			return this;
		}

		/**
		 * Replace the logit bias.
		 * @param logitBias token id to bias
		 * @return this builder
		 */
		public Builder logitBias(Map<String, Integer> logitBias) {
			this.logitBias.clear();
			this.logitBias.putAll(logitBias);
			return this;
		}

		/**
		 * Replace the metadata.
		 * @param metadata key-value pairs
		 * @return this builder
		 */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata.clear();
			this.metadata.putAll(metadata);
			return this;
		}

		/**
		 * Set {@code "auto"}, {@code "none"}, {@code "required"} or {@code {"type":"function","function":{"name":...}}}.
		 * @param toolChoice the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder toolChoice(@Nullable Object toolChoice) {
			this.toolChoice = toolChoice;
			return this;
		}

		/**
		 * Set whether the model may call several tools at once.
		 * @param parallelToolCalls the value
		 * @return this builder
		 */
		public Builder parallelToolCalls(boolean parallelToolCalls) {
			this.parallelToolCalls = parallelToolCalls;
			return this;
		}

		/**
		 * Set how many choices to generate.
		 * @param n the value
		 * @return this builder
		 */
		public Builder n(int n) {
			this.n = n;
			return this;
		}

		/**
		 * Set sampling temperature, 0 to 2.
		 * @param temperature the value
		 * @return this builder
		 */
		public Builder temperature(double temperature) {
			this.temperature = temperature;
			return this;
		}

		/**
		 * Set nucleus sampling mass, 0 to 1.
		 * @param topP the value
		 * @return this builder
		 */
		public Builder topP(double topP) {
			this.topP = topP;
			return this;
		}

		/**
		 * Set a stop sequence or a list of up to four.
		 * @param stop the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder stop(@Nullable Object stop) {
			this.stop = stop;
			return this;
		}

		/**
		 * Set the legacy token limit for the completion.
		 * @param maxTokens the value
		 * @return this builder
		 */
		public Builder maxTokens(int maxTokens) {
			this.maxTokens = maxTokens;
			return this;
		}

		/**
		 * Set the token limit for the completion, reasoning included.
		 * @param maxCompletionTokens the value
		 * @return this builder
		 */
		public Builder maxCompletionTokens(int maxCompletionTokens) {
			this.maxCompletionTokens = maxCompletionTokens;
			return this;
		}

		/**
		 * Set presence penalty, -2 to 2.
		 * @param presencePenalty the value
		 * @return this builder
		 */
		public Builder presencePenalty(double presencePenalty) {
			this.presencePenalty = presencePenalty;
			return this;
		}

		/**
		 * Set frequency penalty, -2 to 2.
		 * @param frequencyPenalty the value
		 * @return this builder
		 */
		public Builder frequencyPenalty(double frequencyPenalty) {
			this.frequencyPenalty = frequencyPenalty;
			return this;
		}

		/**
		 * Set whether to return log probabilities of the output tokens.
		 * @param logprobs the value
		 * @return this builder
		 */
		public Builder logprobs(boolean logprobs) {
			this.logprobs = logprobs;
			return this;
		}

		/**
		 * Set how many most likely tokens to return per position, 0 to 20.
		 * @param topLogprobs the value
		 * @return this builder
		 */
		public Builder topLogprobs(int topLogprobs) {
			this.topLogprobs = topLogprobs;
			return this;
		}

		/**
		 * Set the output format, such as {@code {"type":"json_schema",...}}.
		 * @param responseFormat the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder responseFormat(@Nullable Object responseFormat) {
			this.responseFormat = responseFormat;
			return this;
		}

		/**
		 * Set a seed for best-effort deterministic sampling.
		 * @param seed the value
		 * @return this builder
		 */
		public Builder seed(long seed) {
			this.seed = seed;
			return this;
		}

		/**
		 * Set a stable id of the end user, for abuse monitoring.
		 * @param user the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder user(@Nullable String user) {
			this.user = user;
			return this;
		}

		/**
		 * Set a stable, hashed id of the end user for safety systems.
		 * @param safetyIdentifier the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder safetyIdentifier(@Nullable String safetyIdentifier) {
			this.safetyIdentifier = safetyIdentifier;
			return this;
		}

		/**
		 * Set a key that groups requests for the provider's prompt cache.
		 * @param promptCacheKey the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder promptCacheKey(@Nullable String promptCacheKey) {
			this.promptCacheKey = promptCacheKey;
			return this;
		}

		/**
		 * Set {@code minimal}, {@code low}, {@code medium} or {@code high}, for reasoning models.
		 * @param reasoningEffort the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder reasoningEffort(@Nullable String reasoningEffort) {
			this.reasoningEffort = reasoningEffort;
			return this;
		}

		/**
		 * Set {@code low}, {@code medium} or {@code high}, for models that support it.
		 * @param verbosity the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder verbosity(@Nullable String verbosity) {
			this.verbosity = verbosity;
			return this;
		}

		/**
		 * Set the provider's service tier, such as {@code auto} or {@code flex}.
		 * @param serviceTier the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder serviceTier(@Nullable String serviceTier) {
			this.serviceTier = serviceTier;
			return this;
		}

		/**
		 * Set whether the provider stores the completion.
		 * @param store the value
		 * @return this builder
		 */
		public Builder store(boolean store) {
			this.store = store;
			return this;
		}

		/**
		 * Set audio output parameters.
		 * @param audio the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder audio(@Nullable Object audio) {
			this.audio = audio;
			return this;
		}

		/**
		 * Set predicted output, to speed up regeneration.
		 * @param prediction the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder prediction(@Nullable Object prediction) {
			this.prediction = prediction;
			return this;
		}

		/**
		 * Set web search parameters, for models that search.
		 * @param webSearchOptions the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder webSearchOptions(@Nullable Object webSearchOptions) {
			this.webSearchOptions = webSearchOptions;
			return this;
		}

		/**
		 * Set whether to stream; the client sets it, so leave it unset.
		 * @param stream the value
		 * @return this builder
		 */
		public Builder stream(boolean stream) {
			this.stream = stream;
			return this;
		}

		/**
		 * Set stream options; the client asks for usage unless this is set.
		 * @param streamOptions the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder streamOptions(@Nullable StreamOptions streamOptions) {
			this.streamOptions = streamOptions;
			return this;
		}

		/**
		 * Set Dedalus: credentials for MCP servers.
		 * @param credentials the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder credentials(@Nullable Object credentials) {
			this.credentials = credentials;
			return this;
		}

		/**
		 * Set Dedalus: whether Dedalus runs tools itself.
		 * @param automaticToolExecution the value
		 * @return this builder
		 */
		public Builder automaticToolExecution(boolean automaticToolExecution) {
			this.automaticToolExecution = automaticToolExecution;
			return this;
		}

		/**
		 * Set Dedalus: the most model turns in one request.
		 * @param maxTurns the value
		 * @return this builder
		 */
		public Builder maxTurns(int maxTurns) {
			this.maxTurns = maxTurns;
			return this;
		}

		/**
		 * Set Dedalus: how routing hands off between models.
		 * @param handoffConfig the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder handoffConfig(@Nullable Object handoffConfig) {
			this.handoffConfig = handoffConfig;
			return this;
		}

		/**
		 * Set Dedalus: guardrails applied to the conversation.
		 * @param guardrails the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder guardrails(@Nullable Object guardrails) {
			this.guardrails = guardrails;
			return this;
		}

		/**
		 * Set Dedalus: attributes of the agent, used for routing.
		 * @param agentAttributes the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder agentAttributes(@Nullable Object agentAttributes) {
			this.agentAttributes = agentAttributes;
			return this;
		}

		/**
		 * Set Dedalus: attributes of the candidate models, used for routing.
		 * @param modelAttributes the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder modelAttributes(@Nullable Object modelAttributes) {
			this.modelAttributes = modelAttributes;
			return this;
		}

		/**
		 * Set Dedalus: whether to run the request deferred.
		 * @param deferred the value
		 * @return this builder
		 */
		public Builder deferred(boolean deferred) {
			this.deferred = deferred;
			return this;
		}

		/**
		 * Set provider passthrough: extended thinking settings (Anthropic).
		 * @param thinking the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder thinking(@Nullable Object thinking) {
			this.thinking = thinking;
			return this;
		}

		/**
		 * Set provider passthrough: top-k sampling.
		 * @param topK the value
		 * @return this builder
		 */
		public Builder topK(int topK) {
			this.topK = topK;
			return this;
		}

		/**
		 * Set provider passthrough: a system instruction (Google).
		 * @param systemInstruction the value, or {@code null} to leave it unset
		 * @return this builder
		 */
		public Builder systemInstruction(@Nullable Object systemInstruction) {
			this.systemInstruction = systemInstruction;
			return this;
		}

		/**
		 * Send a field this class does not model, as a top-level JSON field. It replaces a
		 * modelled field of the same name.
		 * @param name the JSON field name, as the API spells it
		 * @param value any value Jackson can write (strings, numbers, maps, lists, records), or
		 * {@code null} to send JSON {@code null}
		 * @return this builder
		 */
		public Builder extraBody(String name, @Nullable Object value) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("extraBody name must not be blank; use the API's JSON field name");
			}
			this.extraBody.put(name, value);
			return this;
		}

		/**
		 * Send several unmodelled fields.
		 * @param fields field names to values
		 * @return this builder
		 */
		public Builder extraBody(Map<String, ?> fields) {
			Objects.requireNonNull(fields, "fields");
			fields.forEach(this::extraBody);
			return this;
		}

		/**
		 * Validate and build the request.
		 * @return the request
		 * @throws IllegalArgumentException naming the first invalid field and how to fix it
		 */
		public ChatCompletionRequest build() {
			if (this.messages.isEmpty()) {
				throw new IllegalArgumentException(
						"messages: at least one message is required; add one with addMessage(ChatMessage.user(\"...\"))");
			}
			RequestValidation.check(this);
			return new ChatCompletionRequest(this);
		}

		@Nullable Integer n() {
			return this.n;
		}

		@Nullable Double temperature() {
			return this.temperature;
		}

		@Nullable Double topP() {
			return this.topP;
		}

		@Nullable Integer maxTokens() {
			return this.maxTokens;
		}

		@Nullable Integer maxCompletionTokens() {
			return this.maxCompletionTokens;
		}

		@Nullable Integer topLogprobs() {
			return this.topLogprobs;
		}

		@Nullable Double presencePenalty() {
			return this.presencePenalty;
		}

		@Nullable Double frequencyPenalty() {
			return this.frequencyPenalty;
		}

		@Nullable Integer maxTurns() {
			return this.maxTurns;
		}

	}

}
