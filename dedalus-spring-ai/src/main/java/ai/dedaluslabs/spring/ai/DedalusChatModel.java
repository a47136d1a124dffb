package ai.dedaluslabs.spring.ai;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionMessage;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.ContentPart;
import ai.dedaluslabs.client.chat.Tool;
import ai.dedaluslabs.client.chat.ToolCall;
import ai.dedaluslabs.client.json.WireJson;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/**
 * Spring AI's {@link ChatModel} (and so {@code StreamingChatModel}) on the Dedalus client: what
 * {@code ChatClient}, its advisors, chat memory and {@code @Tool} methods need, with the client's
 * streaming, retries, typed errors, time limits and metrics underneath.
 *
 * <p>
 * Streaming: text is passed on delta by delta; a tool call is passed on once, whole, on the chunk
 * that finishes its choice, after this project's accumulator has merged its fragments (split
 * arguments, providers that repeat the id on every fragment or send an empty one), so Spring AI's
 * tool calling (the {@code ToolCallingAdvisor} of {@code ChatClient}) runs each call exactly once.
 * The last {@link ChatResponse} of every stream carries the usage. Cancelling the {@link Flux}
 * cancels the upstream request and closes its connection.
 *
 * <p>
 * In Spring AI 2.0 tools run in {@code ChatClient}'s tool-calling advisor, not in the model; this
 * model returns the calls and takes the results back as {@link ToolResponseMessage}s.
 *
 * @since 0.1.0
 */
public final class DedalusChatModel implements ChatModel {

	private static final TypeReference<Map<String, Object>> SCHEMA = new TypeReference<>() {
	};

	/**
	 * Where Reactor context propagation and the client find the enclosing observation (the value of
	 * {@code ObservationThreadLocalAccessor.KEY}).
	 */
	private static final String OBSERVATION_KEY = "micrometer.observation";

	private static final ChatModelObservationConvention DEFAULT_CONVENTION = new DefaultChatModelObservationConvention();

	private static final String PROVIDER = "dedalus";

	private final DedalusClient client;

	private final DedalusChatOptions defaultOptions;

	private final ObservationRegistry observationRegistry;

	private final @Nullable ChatModelObservationConvention observationConvention;

	/**
	 * Create a model with the client's default model, no other default options and no observation.
	 * @param client the client
	 */
	public DedalusChatModel(DedalusClient client) {
		this(client, DedalusChatOptions.builder().model(client.options().defaultModel()).build());
	}

	/**
	 * Create a model without observation.
	 * @param client the client
	 * @param defaultOptions options every request starts from; a prompt's own options override them
	 */
	public DedalusChatModel(DedalusClient client, DedalusChatOptions defaultOptions) {
		this(client, defaultOptions, ObservationRegistry.NOOP, null);
	}

	/**
	 * Create a model that records Spring AI's chat model observation ({@code gen_ai.client.operation}
	 * with Spring AI's conventions, so its meters, spans and dashboards work). The client then sees
	 * the enclosing operation and records none of its own for these calls, so each is counted once.
	 * @param client the client
	 * @param defaultOptions options every request starts from; a prompt's own options override them
	 * @param observationRegistry the registry, {@link ObservationRegistry#NOOP} for none
	 * @param observationConvention a custom convention, or {@code null} for Spring AI's default
	 */
	public DedalusChatModel(DedalusClient client, DedalusChatOptions defaultOptions,
			ObservationRegistry observationRegistry, @Nullable ChatModelObservationConvention observationConvention) {
		this.client = Objects.requireNonNull(client, "client");
		this.defaultOptions = Objects.requireNonNull(defaultOptions, "defaultOptions");
		this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
		this.observationConvention = observationConvention;
	}

	@Override
	public ChatOptions getDefaultOptions() {
		return this.defaultOptions;
	}

	/**
	 * The default options, a {@link DedalusChatOptions}: {@code ChatClient} starts each request's
	 * options from them, so tools and Dedalus options reach the request.
	 * @return the default options
	 */
	@Override
	public ChatOptions getOptions() {
		return this.defaultOptions;
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		ChatCompletionRequest request = request(prompt);
		if (this.observationRegistry.isNoop()) {
			return toResponse(this.client.chat().completions().create(request));
		}
		ChatModelObservationContext context = observationContext(prompt, false);
		Observation observation = observation(context);
		return observation.observe(() -> {
			ChatCompletion completion = this.client.chat()
				.completions()
				.createAsync(request)
				.contextWrite((reactor) -> reactor.put(OBSERVATION_KEY, observation))
				.block();
			ChatResponse response = toResponse(Objects.requireNonNull(completion, "completion"));
			context.setResponse(response);
			return response;
		});
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		ChatCompletionRequest request = request(prompt);
		if (this.observationRegistry.isNoop()) {
			return Flux.defer(() -> responses(request, new StreamState()));
		}
		return Flux.deferContextual((subscriber) -> {
			ChatModelObservationContext context = observationContext(prompt, true);
			Observation observation = observation(context)
				.parentObservation(subscriber.getOrDefault(OBSERVATION_KEY, null))
				.start();
			StreamState state = new StreamState();
			AtomicBoolean stopped = new AtomicBoolean();
			Runnable stop = () -> {
				if (stopped.compareAndSet(false, true)) {
					context.setResponse(toResponse(state.accumulator.toChatCompletion()));
					observation.stop();
				}
			};
			return responses(request, state).doOnError(observation::error)
				.doOnComplete(stop)
				.doOnError((error) -> stop.run())
				.doOnCancel(stop)
				.contextWrite((reactor) -> reactor.put(OBSERVATION_KEY, observation));
		});
	}

	private Flux<ChatResponse> responses(ChatCompletionRequest request, StreamState state) {
		return this.client.chat()
			.completions()
			.stream(request)
			.concatMapIterable(state::responses)
			.concatWith(Mono.fromSupplier(state::unfinishedToolCalls).flatMapMany(Flux::fromIterable));
	}

	private ChatModelObservationContext observationContext(Prompt prompt, boolean streaming) {
		// Spring AI's conventions read the request's options: give them the ones actually sent.
		Prompt observed = new Prompt(prompt.getInstructions(), options(prompt.getOptions()));
		return ChatModelObservationContext.builder().prompt(observed).provider(PROVIDER).streaming(streaming).build();
	}

	private Observation observation(ChatModelObservationContext context) {
		return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(this.observationConvention,
				DEFAULT_CONVENTION, () -> context, this.observationRegistry);
	}

	/** The request for a prompt: the default options, overridden by the prompt's own. */
	ChatCompletionRequest request(Prompt prompt) {
		DedalusChatOptions options = options(prompt.getOptions());
		ChatCompletionRequest.Builder request = ChatCompletionRequest.builder();
		if (!options.getModels().isEmpty()) {
			request.models(options.getModels().toArray(String[]::new));
		}
		else {
			request.model(options.getModel());
		}
		for (Message message : prompt.getInstructions()) {
			for (ChatMessage converted : messages(message)) {
				request.addMessage(converted);
			}
		}
		if (options.getTemperature() != null) {
			request.temperature(options.getTemperature());
		}
		if (options.getTopP() != null) {
			request.topP(options.getTopP());
		}
		if (options.getMaxTokens() != null) {
			request.maxCompletionTokens(options.getMaxTokens());
		}
		if (options.getFrequencyPenalty() != null) {
			request.frequencyPenalty(options.getFrequencyPenalty());
		}
		if (options.getPresencePenalty() != null) {
			request.presencePenalty(options.getPresencePenalty());
		}
		if (!options.getStopSequences().isEmpty()) {
			request.stop(options.getStopSequences());
		}
		if (options.getTopK() != null) {
			request.topK(options.getTopK());
		}
		if (options.getCredentials() != null) {
			request.credentials(options.getCredentials());
		}
		if (options.getAutomaticToolExecution() != null) {
			request.automaticToolExecution(options.getAutomaticToolExecution());
		}
		if (options.getMaxTurns() != null) {
			request.maxTurns(options.getMaxTurns());
		}
		if (!options.getMcpServers().isEmpty()) {
			request.mcpServers(options.getMcpServers());
		}
		for (ToolCallback callback : options.getToolCallbacks()) {
			request.addTool(tool(callback.getToolDefinition()));
		}
		if (!options.getExtraBody().isEmpty()) {
			request.extraBody(options.getExtraBody());
		}
		return request.build();
	}

	private DedalusChatOptions options(@Nullable ChatOptions promptOptions) {
		if (promptOptions == null) {
			return this.defaultOptions;
		}
		return this.defaultOptions.mutate().combineWith(promptOptions.mutate()).build();
	}

	private static Tool tool(ToolDefinition definition) {
		Map<String, Object> schema = WireJson.defaultMapper().readValue(definition.inputSchema(), SCHEMA);
		return Tool.function(definition.name(), definition.description(), schema);
	}

	private static List<ChatMessage> messages(Message message) {
		return switch (message.getMessageType()) {
			case SYSTEM -> List.of(ChatMessage.system(text(message)));
			case USER -> List.of(user((UserMessage) message));
			case ASSISTANT -> List.of(assistant((AssistantMessage) message));
			case TOOL -> ((ToolResponseMessage) message).getResponses()
				.stream()
				.map((response) -> ChatMessage.tool(response.id(), response.responseData()))
				.toList();
		};
	}

	private static String text(Message message) {
		return (message.getText() != null) ? message.getText() : "";
	}

	private static ChatMessage user(UserMessage message) {
		if (message.getMedia().isEmpty()) {
			return ChatMessage.user(text(message));
		}
		List<ContentPart> parts = new ArrayList<>();
		if (!text(message).isEmpty()) {
			parts.add(ContentPart.text(text(message)));
		}
		for (Media media : message.getMedia()) {
			parts.add(ContentPart.imageUrl(url(media)));
		}
		return ChatMessage.user(parts);
	}

	/** An image as the API takes it: its URL, or its bytes as a data URL. */
	private static String url(Media media) {
		Object data = media.getData();
		if (data instanceof String text) {
			return text;
		}
		return "data:" + media.getMimeType() + ";base64," + Base64.getEncoder().encodeToString(media.getDataAsByteArray());
	}

	private static ChatMessage assistant(AssistantMessage message) {
		if (!message.hasToolCalls()) {
			return ChatMessage.assistant(text(message));
		}
		List<ToolCall> calls = message.getToolCalls()
			.stream()
			.map((call) -> ToolCall.function(call.id(), call.name(), call.arguments()))
			.toList();
		return ChatMessage.assistant(message.getText(), calls);
	}

	private static ChatResponse toResponse(ChatCompletion completion) {
		List<Generation> generations = new ArrayList<>();
		for (ChatCompletion.Choice choice : completion.choices()) {
			generations.add(generation(choice.message(), choice.finishReason(), completion.id(), choice.index()));
		}
		return new ChatResponse(generations, metadata(completion.id(), completion.model(), completion.usage()));
	}

	private static Generation generation(ChatCompletionMessage message, @Nullable String finishReason, String id,
			int index) {
		AssistantMessage.Builder<?> output = AssistantMessage.builder()
			.content((message.content() != null) ? message.content() : (message.refusal() != null) ? message.refusal() : "")
			.properties(properties(id, index, finishReason));
		if (!message.toolCalls().isEmpty()) {
			output.toolCalls(message.toolCalls()
				.stream()
				.map((call) -> new AssistantMessage.ToolCall(call.id(), "function", call.function().name(),
						call.function().arguments()))
				.toList());
		}
		ChatGenerationMetadata.Builder metadata = ChatGenerationMetadata.builder();
		if (finishReason != null) {
			metadata.finishReason(finishReason);
		}
		return new Generation(output.build(), metadata.build());
	}

	private static Map<String, Object> properties(String id, int index, @Nullable String finishReason) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("id", id);
		properties.put("index", index);
		if (finishReason != null) {
			properties.put("finishReason", finishReason);
		}
		return properties;
	}

	private static ChatResponseMetadata metadata(String id, String model,
			ai.dedaluslabs.client.chat.@Nullable Usage usage) {
		ChatResponseMetadata.Builder metadata = new ChatResponseMetadata.Builder().id(id).model(model);
		metadata.usage((usage != null)
				? new DefaultUsage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), usage)
				: new EmptyUsage());
		return metadata.build();
	}

	/**
	 * One stream's state: the accumulator that merges tool-call fragments, and which choices have
	 * had their tool calls passed on. Read and written by one stream's signals, in order.
	 */
	private static final class StreamState {

		private final ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();

		private final Set<Integer> toolCallsSent = new HashSet<>();

		private String id = "";

		private String model = "";

		List<ChatResponse> responses(ChatCompletionChunk chunk) {
			this.accumulator.accept(chunk);
			if (!chunk.id().isEmpty()) {
				this.id = chunk.id();
			}
			if (!chunk.model().isEmpty()) {
				this.model = chunk.model();
			}
			List<Generation> generations = new ArrayList<>(chunk.choices().size());
			for (ChatCompletionChunk.Choice choice : chunk.choices()) {
				ChatCompletionChunk.Delta delta = choice.delta();
				String text = (delta.content() != null) ? delta.content() : delta.refusal();
				boolean finished = choice.finishReason() != null;
				if (text == null && !finished) {
					continue;
				}
				ChatCompletionMessage message = new ChatCompletionMessage("assistant", text, null,
						finished ? completedToolCalls(choice.index()) : List.of());
				generations.add(generation(message, choice.finishReason(), this.id, choice.index()));
			}
			if (chunk.usage() != null) {
				if (generations.isEmpty()) {
					generations.add(generation(new ChatCompletionMessage("assistant", "", null, List.of()), null, this.id,
							0));
				}
				return List.of(new ChatResponse(generations, metadata(this.id, this.model, chunk.usage())));
			}
			if (generations.isEmpty()) {
				return List.of();
			}
			return List.of(new ChatResponse(generations, metadata(this.id, this.model, null)));
		}

		/** The merged tool calls of a finished choice, once. */
		private List<ToolCall> completedToolCalls(int index) {
			if (!this.toolCallsSent.add(index)) {
				return List.of();
			}
			for (ChatCompletion.Choice choice : this.accumulator.toChatCompletion().choices()) {
				if (choice.index() == index) {
					return choice.message().toolCalls();
				}
			}
			return List.of();
		}

		/** Tool calls of choices that ended without a finish reason, passed on at the end. */
		List<ChatResponse> unfinishedToolCalls() {
			List<Generation> generations = new ArrayList<>();
			for (ChatCompletion.Choice choice : this.accumulator.toChatCompletion().choices()) {
				if (!choice.message().toolCalls().isEmpty() && !this.toolCallsSent.contains(choice.index())) {
					this.toolCallsSent.add(choice.index());
					generations.add(generation(new ChatCompletionMessage("assistant", "", null,
							choice.message().toolCalls()), "tool_calls", this.id, choice.index()));
				}
			}
			return generations.isEmpty() ? List.of()
					: List.of(new ChatResponse(generations, metadata(this.id, this.model, null)));
		}

	}

}
