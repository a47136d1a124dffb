package ai.dedaluslabs.client.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.ResponseFormat;
import org.jspecify.annotations.Nullable;

/**
 * What a run is asked to do: the model (or a routing list), the conversation, the local tools and
 * MCP servers, and the loop's limits. Built with {@link #builder()}; duplicate tool names are
 * refused when it is built.
 *
 * @since 0.1.0
 */
public final class RunRequest {

	private final @Nullable String model;

	private final List<String> models;

	private final List<ChatMessage> messages;

	private final Map<String, LocalTool> tools;

	private final List<String> mcpServers;

	private final int maxSteps;

	private final int toolConcurrency;

	private final @Nullable Duration toolTimeout;

	private final Map<String, Object> extraBody;

	private final @Nullable ResponseFormat responseFormat;

	private final List<McpCredential> credentials;

	private RunRequest(Builder builder) {
		this.model = builder.model;
		this.models = List.copyOf(builder.models);
		List<ChatMessage> messages = new ArrayList<>();
		if (builder.instructions != null) {
			messages.add(ChatMessage.system(builder.instructions));
		}
		for (ChatMessage message : builder.messages) {
			// The instructions replace any system message given with the conversation.
			if (builder.instructions == null || !"system".equals(message.role())) {
				messages.add(message);
			}
		}
		if (builder.input != null) {
			messages.add(ChatMessage.user(builder.input));
		}
		if (messages.isEmpty()) {
			throw new IllegalArgumentException("A run needs input, messages or instructions");
		}
		this.messages = List.copyOf(messages);
		Map<String, LocalTool> tools = new LinkedHashMap<>();
		for (LocalTool tool : builder.tools) {
			if (tools.putIfAbsent(tool.name(), tool) != null) {
				throw new IllegalArgumentException("Two local tools are named '" + tool.name()
						+ "'; the model could not tell them apart: rename one");
			}
		}
		this.tools = tools;
		this.mcpServers = List.copyOf(builder.mcpServers);
		if (builder.maxSteps < 1) {
			throw new IllegalArgumentException("maxSteps must be at least 1, but is " + builder.maxSteps);
		}
		if (builder.toolConcurrency < 1) {
			throw new IllegalArgumentException("toolConcurrency must be at least 1, but is " + builder.toolConcurrency);
		}
		this.maxSteps = builder.maxSteps;
		this.toolConcurrency = builder.toolConcurrency;
		this.toolTimeout = builder.toolTimeout;
		this.extraBody = new LinkedHashMap<>(builder.extraBody);
		this.responseFormat = builder.responseFormat;
		this.credentials = List.copyOf(builder.credentials);
	}

	/**
	 * A builder.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Nullable String model() {
		return this.model;
	}

	List<String> models() {
		return this.models;
	}

	List<ChatMessage> messages() {
		return this.messages;
	}

	Map<String, LocalTool> tools() {
		return this.tools;
	}

	List<String> mcpServers() {
		return this.mcpServers;
	}

	int maxSteps() {
		return this.maxSteps;
	}

	int toolConcurrency() {
		return this.toolConcurrency;
	}

	@Nullable Duration toolTimeout() {
		return this.toolTimeout;
	}

	Map<String, Object> extraBody() {
		return this.extraBody;
	}

	@Nullable ResponseFormat responseFormat() {
		return this.responseFormat;
	}

	List<McpCredential> credentials() {
		return this.credentials;
	}

	/** Builds a {@link RunRequest}. */
	public static final class Builder {

		private @Nullable String model;

		private List<String> models = new ArrayList<>();

		private @Nullable String instructions;

		private @Nullable String input;

		private List<ChatMessage> messages = new ArrayList<>();

		private final List<LocalTool> tools = new ArrayList<>();

		private List<String> mcpServers = new ArrayList<>();

		private int maxSteps = 10;

		private int toolConcurrency = 4;

		private @Nullable Duration toolTimeout;

		private final Map<String, Object> extraBody = new LinkedHashMap<>();

		private @Nullable ResponseFormat responseFormat;

		private final List<McpCredential> credentials = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Credentials for the MCP servers' connections: encrypted before they leave this machine
		 * when the runner has an authorization server
		 * ({@link DedalusRunner#withAuthorizationServer}), sent as given otherwise.
		 * @param credentials the credentials
		 * @return this builder
		 */
		public Builder credentials(McpCredential... credentials) {
			this.credentials.addAll(List.of(credentials));
			return this;
		}

		/**
		 * Ask for the final answer as JSON of a type (strict JSON schema): read it with
		 * {@link RunResult#finalOutput(Class)}, and watch it grow in {@link RunEvent.PartialOutput}s.
		 * @param type the type, a record
		 * @return this builder
		 */
		public Builder responseFormat(Class<?> type) {
			this.responseFormat = ResponseFormat.jsonSchema(type);
			return this;
		}

		/**
		 * The model; the client's default when neither this nor {@link #models} is set.
		 * @param model the model id
		 * @return this builder
		 */
		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		/**
		 * A routing list, sent as a list: Dedalus routes and hands off between the models.
		 * @param models the model ids
		 * @return this builder
		 */
		public Builder models(List<String> models) {
			this.models = new ArrayList<>(models);
			return this;
		}

		/**
		 * The system message, replacing any in {@link #messages}.
		 * @param instructions the instructions
		 * @return this builder
		 */
		public Builder instructions(@Nullable String instructions) {
			this.instructions = instructions;
			return this;
		}

		/**
		 * A user message, after the conversation.
		 * @param input the text
		 * @return this builder
		 */
		public Builder input(@Nullable String input) {
			this.input = input;
			return this;
		}

		/**
		 * The conversation so far.
		 * @param messages the messages
		 * @return this builder
		 */
		public Builder messages(List<ChatMessage> messages) {
			this.messages = new ArrayList<>(messages);
			return this;
		}

		/**
		 * A local tool the model may call.
		 * @param tool the tool
		 * @return this builder
		 */
		public Builder tool(LocalTool tool) {
			this.tools.add(Objects.requireNonNull(tool, "tool"));
			return this;
		}

		/**
		 * The {@link DedalusTool} methods of an object, as local tools.
		 * @param target the object
		 * @return this builder
		 */
		public Builder tools(Object target) {
			this.tools.addAll(LocalTool.fromMethods(target));
			return this;
		}

		/**
		 * Local tools the model may call.
		 * @param tools the tools
		 * @return this builder
		 */
		public Builder tools(List<LocalTool> tools) {
			tools.forEach(this::tool);
			return this;
		}

		/**
		 * MCP servers (slugs or URLs) whose tools Dedalus runs on its side.
		 * @param mcpServers the servers
		 * @return this builder
		 */
		public Builder mcpServers(String... mcpServers) {
			this.mcpServers = new ArrayList<>(List.of(mcpServers));
			return this;
		}

		/**
		 * The most model calls the run may make (10 by default).
		 * @param maxSteps the limit, at least 1
		 * @return this builder
		 */
		public Builder maxSteps(int maxSteps) {
			this.maxSteps = maxSteps;
			return this;
		}

		/**
		 * How many tool calls of one step run at once (4 by default).
		 * @param toolConcurrency the limit, at least 1
		 * @return this builder
		 */
		public Builder toolConcurrency(int toolConcurrency) {
			this.toolConcurrency = toolConcurrency;
			return this;
		}

		/**
		 * The longest a tool call may take; past it the call counts as failed (and a blocking tool
		 * is interrupted). No limit by default.
		 * @param toolTimeout the limit
		 * @return this builder
		 */
		public Builder toolTimeout(@Nullable Duration toolTimeout) {
			this.toolTimeout = toolTimeout;
			return this;
		}

		/**
		 * A field sent as it is with every model call.
		 * @param name the wire name
		 * @param value the value
		 * @return this builder
		 */
		public Builder extraBody(String name, Object value) {
			this.extraBody.put(name, value);
			return this;
		}

		/**
		 * The request.
		 * @return the request
		 * @throws IllegalArgumentException when there is nothing to ask, two tools share a name, or a
		 * limit is below 1
		 */
		public RunRequest build() {
			return new RunRequest(this);
		}

	}

}
