package ai.dedaluslabs.spring.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Options of a Dedalus chat request in Spring AI: the portable ones ({@code model},
 * {@code temperature}, {@code maxTokens}, tools, ...) and Dedalus's own (a routing list of
 * {@code models}, {@code mcpServers}, anything else as {@code extraBody}). A
 * {@link ToolCallingChatOptions}, so {@code ChatClient} passes tools and tool context as with
 * Spring AI's own providers. Immutable; {@link #mutate()} starts a builder from a copy.
 *
 * @since 0.1.0
 */
public final class DedalusChatOptions implements ToolCallingChatOptions {

	private final @Nullable String model;

	private final List<String> models;

	private final @Nullable Double frequencyPenalty;

	private final @Nullable Integer maxTokens;

	private final @Nullable Double presencePenalty;

	private final List<String> stopSequences;

	private final @Nullable Double temperature;

	private final @Nullable Integer topK;

	private final @Nullable Double topP;

	private final List<ToolCallback> toolCallbacks;

	private final Map<String, Object> toolContext;

	private final List<String> mcpServers;

	private final Map<String, Object> extraBody;

	private final @Nullable Object credentials;

	private final @Nullable Boolean automaticToolExecution;

	private final @Nullable Integer maxTurns;

	private DedalusChatOptions(Builder builder) {
		this.model = builder.model;
		this.models = List.copyOf(builder.models);
		this.frequencyPenalty = builder.frequencyPenalty;
		this.maxTokens = builder.maxTokens;
		this.presencePenalty = builder.presencePenalty;
		this.stopSequences = List.copyOf(builder.stopSequences);
		this.temperature = builder.temperature;
		this.topK = builder.topK;
		this.topP = builder.topP;
		this.toolCallbacks = List.copyOf(builder.toolCallbacks);
		this.toolContext = Map.copyOf(builder.toolContext);
		this.mcpServers = List.copyOf(builder.mcpServers);
		this.extraBody = Map.copyOf(builder.extraBody);
		this.credentials = builder.credentials;
		this.automaticToolExecution = builder.automaticToolExecution;
		this.maxTurns = builder.maxTurns;
	}

	/**
	 * A builder of options.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public @Nullable String getModel() {
		return this.model;
	}

	/**
	 * The routing list of models, sent as a list so that Dedalus routes and hands off between them.
	 * @return the models, empty when one model (or none) is named
	 */
	public List<String> getModels() {
		return this.models;
	}

	@Override
	public @Nullable Double getFrequencyPenalty() {
		return this.frequencyPenalty;
	}

	@Override
	public @Nullable Integer getMaxTokens() {
		return this.maxTokens;
	}

	@Override
	public @Nullable Double getPresencePenalty() {
		return this.presencePenalty;
	}

	@Override
	public List<String> getStopSequences() {
		return this.stopSequences;
	}

	@Override
	public @Nullable Double getTemperature() {
		return this.temperature;
	}

	/**
	 * Top-k sampling; not an OpenAI-compatible field, so it is sent as {@code top_k} in the body
	 * for the providers that take it.
	 * @return the value, or {@code null}
	 */
	@Override
	public @Nullable Integer getTopK() {
		return this.topK;
	}

	@Override
	public @Nullable Double getTopP() {
		return this.topP;
	}

	@Override
	public List<ToolCallback> getToolCallbacks() {
		return this.toolCallbacks;
	}

	@Override
	public Map<String, Object> getToolContext() {
		return this.toolContext;
	}

	/**
	 * MCP servers (slugs or URLs) that Dedalus runs tools on, server side.
	 * @return the servers
	 */
	public List<String> getMcpServers() {
		return this.mcpServers;
	}

	/**
	 * Fields sent as they are, beside the modelled ones.
	 * @return the fields
	 */
	public Map<String, Object> getExtraBody() {
		return this.extraBody;
	}

	/**
	 * Credentials for the MCP servers, sent as {@code credentials}.
	 * @return the credentials, or {@code null}
	 */
	public @Nullable Object getCredentials() {
		return this.credentials;
	}

	/**
	 * Whether Dedalus runs the tools it can itself ({@code automatic_tool_execution}).
	 * @return the flag, or {@code null} for the server's default
	 */
	public @Nullable Boolean getAutomaticToolExecution() {
		return this.automaticToolExecution;
	}

	/**
	 * The most turns Dedalus's server-side loop may take ({@code max_turns}).
	 * @return the limit, or {@code null} for the server's default
	 */
	public @Nullable Integer getMaxTurns() {
		return this.maxTurns;
	}

	@Override
	public Builder mutate() {
		return new Builder().from(this);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (!(other instanceof DedalusChatOptions that)) {
			return false;
		}
		return Objects.equals(this.model, that.model) && this.models.equals(that.models)
				&& Objects.equals(this.frequencyPenalty, that.frequencyPenalty)
				&& Objects.equals(this.maxTokens, that.maxTokens)
				&& Objects.equals(this.presencePenalty, that.presencePenalty)
				&& this.stopSequences.equals(that.stopSequences) && Objects.equals(this.temperature, that.temperature)
				&& Objects.equals(this.topK, that.topK) && Objects.equals(this.topP, that.topP)
				&& this.toolCallbacks.equals(that.toolCallbacks) && this.toolContext.equals(that.toolContext)
				&& this.mcpServers.equals(that.mcpServers) && this.extraBody.equals(that.extraBody)
				&& Objects.equals(this.credentials, that.credentials)
				&& Objects.equals(this.automaticToolExecution, that.automaticToolExecution)
				&& Objects.equals(this.maxTurns, that.maxTurns);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.model, this.models, this.temperature, this.maxTokens, this.toolCallbacks);
	}

	@Override
	public String toString() {
		return "DedalusChatOptions[model=" + this.model + ", models=" + this.models + ", temperature=" + this.temperature
				+ ", maxTokens=" + this.maxTokens + ", tools=" + this.toolCallbacks.size() + ", mcpServers="
				+ this.mcpServers + "]";
	}

	/**
	 * Builds {@link DedalusChatOptions}; a Spring AI {@link ToolCallingChatOptions.Builder}, so
	 * {@code chatClient.prompt().options(DedalusChatOptions.builder().model(...))} works.
	 */
	public static final class Builder implements ToolCallingChatOptions.Builder<Builder> {

		private @Nullable String model;

		private List<String> models = new ArrayList<>();

		private @Nullable Double frequencyPenalty;

		private @Nullable Integer maxTokens;

		private @Nullable Double presencePenalty;

		private List<String> stopSequences = new ArrayList<>();

		private @Nullable Double temperature;

		private @Nullable Integer topK;

		private @Nullable Double topP;

		private List<ToolCallback> toolCallbacks = new ArrayList<>();

		private Map<String, Object> toolContext = new LinkedHashMap<>();

		private List<String> mcpServers = new ArrayList<>();

		private Map<String, Object> extraBody = new LinkedHashMap<>();

		private @Nullable Object credentials;

		private @Nullable Boolean automaticToolExecution;

		private @Nullable Integer maxTurns;

		private Builder() {
		}

		private Builder from(DedalusChatOptions options) {
			this.model = options.model;
			this.models = new ArrayList<>(options.models);
			this.frequencyPenalty = options.frequencyPenalty;
			this.maxTokens = options.maxTokens;
			this.presencePenalty = options.presencePenalty;
			this.stopSequences = new ArrayList<>(options.stopSequences);
			this.temperature = options.temperature;
			this.topK = options.topK;
			this.topP = options.topP;
			this.toolCallbacks = new ArrayList<>(options.toolCallbacks);
			this.toolContext = new LinkedHashMap<>(options.toolContext);
			this.mcpServers = new ArrayList<>(options.mcpServers);
			this.extraBody = new LinkedHashMap<>(options.extraBody);
			this.credentials = options.credentials;
			this.automaticToolExecution = options.automaticToolExecution;
			this.maxTurns = options.maxTurns;
			return this;
		}

		@Override
		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		/**
		 * A routing list of models, sent as a list: Dedalus routes and hands off between them.
		 * @param models the model ids
		 * @return this builder
		 */
		public Builder models(List<String> models) {
			this.models = new ArrayList<>(models);
			return this;
		}

		@Override
		public Builder frequencyPenalty(@Nullable Double frequencyPenalty) {
			this.frequencyPenalty = frequencyPenalty;
			return this;
		}

		@Override
		public Builder maxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
			return this;
		}

		@Override
		public Builder presencePenalty(@Nullable Double presencePenalty) {
			this.presencePenalty = presencePenalty;
			return this;
		}

		@Override
		public Builder stopSequences(@Nullable List<String> stopSequences) {
			this.stopSequences = (stopSequences != null) ? new ArrayList<>(stopSequences) : new ArrayList<>();
			return this;
		}

		@Override
		public Builder temperature(@Nullable Double temperature) {
			this.temperature = temperature;
			return this;
		}

		@Override
		public Builder topK(@Nullable Integer topK) {
			this.topK = topK;
			return this;
		}

		@Override
		public Builder topP(@Nullable Double topP) {
			this.topP = topP;
			return this;
		}

		@Override
		public Builder toolCallbacks(@Nullable List<ToolCallback> toolCallbacks) {
			this.toolCallbacks = (toolCallbacks != null) ? new ArrayList<>(toolCallbacks) : new ArrayList<>();
			return this;
		}

		@Override
		public Builder toolCallbacks(ToolCallback... toolCallbacks) {
			return toolCallbacks(List.of(toolCallbacks));
		}

		@Override
		public Builder toolContext(@Nullable Map<String, Object> toolContext) {
			this.toolContext = (toolContext != null) ? new LinkedHashMap<>(toolContext) : new LinkedHashMap<>();
			return this;
		}

		@Override
		public Builder toolContext(String key, Object value) {
			this.toolContext.put(key, value);
			return this;
		}

		/**
		 * MCP servers (slugs or URLs) that Dedalus runs tools on, server side.
		 * @param mcpServers the servers
		 * @return this builder
		 */
		public Builder mcpServers(String... mcpServers) {
			this.mcpServers = new ArrayList<>(List.of(mcpServers));
			return this;
		}

		/**
		 * Credentials for the MCP servers, sent as {@code credentials}; never logged.
		 * @param credentials the credentials
		 * @return this builder
		 */
		public Builder credentials(@Nullable Object credentials) {
			this.credentials = credentials;
			return this;
		}

		/**
		 * Whether Dedalus runs the tools it can itself ({@code automatic_tool_execution}).
		 * @param automaticToolExecution the flag
		 * @return this builder
		 */
		public Builder automaticToolExecution(@Nullable Boolean automaticToolExecution) {
			this.automaticToolExecution = automaticToolExecution;
			return this;
		}

		/**
		 * The most turns Dedalus's server-side loop may take ({@code max_turns}).
		 * @param maxTurns the limit
		 * @return this builder
		 */
		public Builder maxTurns(@Nullable Integer maxTurns) {
			this.maxTurns = maxTurns;
			return this;
		}

		/**
		 * A field sent as it is, beside the modelled ones: a provider passthrough such as
		 * {@code thinking}, or anything the API takes that is not modelled.
		 * @param name the wire name
		 * @param value the value
		 * @return this builder
		 */
		public Builder extraBody(String name, Object value) {
			this.extraBody.put(name, value);
			return this;
		}

		@Override
		public Builder clone() {
			return new Builder().from(build());
		}

		@Override
		public Builder combineWith(ChatOptions.Builder<?> other) {
			ChatOptions overrides = other.build();
			if (overrides.getModel() != null) {
				this.model = overrides.getModel();
			}
			if (overrides.getFrequencyPenalty() != null) {
				this.frequencyPenalty = overrides.getFrequencyPenalty();
			}
			if (overrides.getMaxTokens() != null) {
				this.maxTokens = overrides.getMaxTokens();
			}
			if (overrides.getPresencePenalty() != null) {
				this.presencePenalty = overrides.getPresencePenalty();
			}
			if (overrides.getStopSequences() != null && !overrides.getStopSequences().isEmpty()) {
				this.stopSequences = new ArrayList<>(overrides.getStopSequences());
			}
			if (overrides.getTemperature() != null) {
				this.temperature = overrides.getTemperature();
			}
			if (overrides.getTopK() != null) {
				this.topK = overrides.getTopK();
			}
			if (overrides.getTopP() != null) {
				this.topP = overrides.getTopP();
			}
			if (overrides instanceof ToolCallingChatOptions tools) {
				if (!tools.getToolCallbacks().isEmpty()) {
					this.toolCallbacks = new ArrayList<>(
							ToolCallingChatOptions.mergeToolCallbacks(this.toolCallbacks, tools.getToolCallbacks()));
				}
				this.toolContext = new LinkedHashMap<>(
						ToolCallingChatOptions.mergeToolContext(this.toolContext, tools.getToolContext()));
			}
			if (overrides instanceof DedalusChatOptions dedalus) {
				if (!dedalus.models.isEmpty()) {
					this.models = new ArrayList<>(dedalus.models);
				}
				if (!dedalus.mcpServers.isEmpty()) {
					this.mcpServers = new ArrayList<>(dedalus.mcpServers);
				}
				this.extraBody.putAll(dedalus.extraBody);
				if (dedalus.credentials != null) {
					this.credentials = dedalus.credentials;
				}
				if (dedalus.automaticToolExecution != null) {
					this.automaticToolExecution = dedalus.automaticToolExecution;
				}
				if (dedalus.maxTurns != null) {
					this.maxTurns = dedalus.maxTurns;
				}
			}
			return this;
		}

		@Override
		public DedalusChatOptions build() {
			return new DedalusChatOptions(this);
		}

	}

}
