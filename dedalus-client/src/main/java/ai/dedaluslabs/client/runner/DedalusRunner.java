package ai.dedaluslabs.client.runner;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionMessage;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.chat.ToolCall;
import ai.dedaluslabs.client.chat.Usage;
import ai.dedaluslabs.client.json.PartialJson;
import ai.dedaluslabs.client.json.WireJson;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Runs an agent loop on Reactor: call the model (streaming), run the local tools it asks for,
 * send their results back, and repeat until the model answers without tools or {@code maxSteps}
 * model calls were made. MCP servers named in the request run on Dedalus's side.
 *
 * <p>
 * One loop: {@link #stream} produces every {@link RunEvent}, and {@link #run} is its reduction to
 * the {@link RunResult}. Per step the assistant message with all its tool calls (and any text it
 * streamed) is appended before one {@code tool} message per call id, in the order the model made
 * the calls; the calls of a step run at once, up to {@code toolConcurrency}. A tool that fails,
 * times out or gets arguments that do not fit its parameters sends {@code Error: ...} back to the
 * model, and the run goes on. Cancelling the run cancels the model stream and every tool in flight
 * (a blocking tool's thread is interrupted).
 *
 * <pre>
 * DedalusRunner runner = DedalusRunner.create(client);
 * RunResult result = runner.run(RunRequest.builder()
 *         .model("openai/gpt-5-nano")
 *         .input("What is the weather in Dublin?")
 *         .tool(LocalTool.of("get_weather", "Current weather", City.class, weather::now))
 *         .build()).block();
 * </pre>
 *
 * @since 0.1.0
 */
public final class DedalusRunner {

	private final DedalusClient client;

	private final List<LocalTool> defaultTools;

	private final @Nullable CredentialEncryption encryption;

	private DedalusRunner(DedalusClient client, List<LocalTool> defaultTools, @Nullable CredentialEncryption encryption) {
		this.client = Objects.requireNonNull(client, "client");
		this.defaultTools = List.copyOf(defaultTools);
		this.encryption = encryption;
	}

	/**
	 * A runner on a client.
	 * @param client the client
	 * @return the runner
	 */
	public static DedalusRunner create(DedalusClient client) {
		return new DedalusRunner(client, List.of(), null);
	}

	/**
	 * A runner whose every run also offers these tools (Spring Boot's runner offers every
	 * {@link DedalusTool} method of the application's beans).
	 * @param tools the tools; a request's own tool of the same name fails the run
	 * @return the runner
	 */
	public DedalusRunner withTools(List<LocalTool> tools) {
		List<LocalTool> all = new ArrayList<>(this.defaultTools);
		all.addAll(tools);
		return new DedalusRunner(this.client, all, this.encryption);
	}

	/**
	 * A runner that encrypts MCP credentials for an authorization server before they leave this
	 * machine (the envelope of the official SDKs: AES-256-GCM, the key wrapped with the server's RSA
	 * key), and embeds them in every MCP server spec instead of sending them apart. The server's key
	 * comes from its {@code /.well-known/jwks.json}, fetched once. In Spring Boot:
	 * {@code dedalus.as-url}, or the environment variable {@code DEDALUS_AS_URL}.
	 * @param authorizationServer the authorization server's base URL
	 * @return the runner
	 */
	public DedalusRunner withAuthorizationServer(URI authorizationServer) {
		return new DedalusRunner(this.client, this.defaultTools, new CredentialEncryption(authorizationServer));
	}

	/**
	 * The tools every run offers.
	 * @return the tools
	 */
	public List<LocalTool> defaultTools() {
		return this.defaultTools;
	}

	/**
	 * Run to the end.
	 * @param request what to run
	 * @return the result; cancelling cancels the run
	 */
	public Mono<RunResult> run(RunRequest request) {
		return stream(request).ofType(RunEvent.RunCompleted.class).last().map(RunEvent.RunCompleted::result);
	}

	/**
	 * Run, reporting every event; the last is {@link RunEvent.RunCompleted}.
	 * @param request what to run
	 * @return the events, cold: each subscription is a run
	 */
	public Flux<RunEvent> stream(RunRequest request) {
		return Flux.defer(() -> step(request, new Run(request.messages(), tools(request)), 1));
	}

	private Map<String, LocalTool> tools(RunRequest request) {
		Map<String, LocalTool> tools = new LinkedHashMap<>(request.tools());
		for (LocalTool tool : this.defaultTools) {
			if (tools.putIfAbsent(tool.name(), tool) != null) {
				throw new IllegalArgumentException("The request's tool '" + tool.name()
						+ "' has the name of one of the runner's own tools; rename one");
			}
		}
		return tools;
	}

	private Flux<RunEvent> step(RunRequest request, Run run, int step) {
		ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
		Partial partial = (request.responseFormat() != null && request.responseFormat().type() != null) ? new Partial()
				: null;
		Flux<RunEvent> text = modelRequest(request, run)
			.flatMapMany((modelRequest) -> this.client.chat().completions().streamRaw(modelRequest))
			.concatMapIterable((raw) -> {
				ChatCompletionChunk chunk = raw.chunk();
				accumulator.accept(chunk);
				List<RunEvent> events = serverToolResults(raw, step, run);
				String delta = textOf(chunk);
				if (delta == null) {
					return events;
				}
				RunEvent textDelta = new RunEvent.TextDelta(step, delta);
				JsonNode grown = (partial != null) ? partial.grow(delta) : null;
				if (events.isEmpty()) {
					return (grown != null) ? List.of(textDelta, new RunEvent.PartialOutput(step, grown))
							: List.of(textDelta);
				}
				events.add(textDelta);
				if (grown != null) {
					events.add(new RunEvent.PartialOutput(step, grown));
				}
				return events;
			});
		return text.concatWith(Flux.defer(() -> afterModel(request, run, step, accumulator.toChatCompletion())));
	}

	private Mono<ChatCompletionRequest> modelRequest(RunRequest request, Run run) {
		ChatCompletionRequest.Builder builder = ChatCompletionRequest.builder();
		if (!request.models().isEmpty()) {
			builder.models(request.models().toArray(String[]::new));
		}
		else {
			builder.model(request.model());
		}
		run.messages.forEach(builder::addMessage);
		run.tools.values().forEach((tool) -> builder.addTool(tool.definition()));
		List<McpCredential> credentials = request.credentials();
		if (!credentials.isEmpty() && this.encryption != null && !request.mcpServers().isEmpty()) {
			// Encrypted into every server spec; nothing is sent apart.
			return this.encryption.embed(request.mcpServers(), credentials).map((specs) -> {
				builder.mcpServers(specs);
				return finish(builder, request);
			});
		}
		if (!request.mcpServers().isEmpty()) {
			builder.mcpServers(request.mcpServers());
		}
		if (!credentials.isEmpty()) {
			Map<String, Object> given = new LinkedHashMap<>();
			credentials.forEach((credential) -> given.put(credential.connection(), credential.values()));
			builder.credentials(given);
		}
		return Mono.just(finish(builder, request));
	}

	private static ChatCompletionRequest finish(ChatCompletionRequest.Builder builder, RunRequest request) {
		if (request.responseFormat() != null) {
			builder.responseFormat(request.responseFormat());
		}
		if (!request.extraBody().isEmpty()) {
			builder.extraBody(request.extraBody());
		}
		return builder.build();
	}

	/**
	 * The results of tools Dedalus ran on its side, when a chunk carries them
	 * ({@code mcp_tool_results}); the chunk's text is searched first so that the usual chunk costs
	 * one scan and no parse.
	 */
	private static List<RunEvent> serverToolResults(RawChatCompletionChunk raw, int step, Run run) {
		if (!raw.json().contains("\"mcp_tool_results\"")) {
			return List.of();
		}
		JsonNode results = WireJson.defaultMapper().readTree(raw.json()).path("mcp_tool_results");
		List<RunEvent> events = new ArrayList<>();
		for (JsonNode result : results) {
			run.serverToolResults.add(result);
			events.add(new RunEvent.ServerToolResult(step, result));
		}
		return events;
	}

	private static @Nullable String textOf(ChatCompletionChunk chunk) {
		for (ChatCompletionChunk.Choice choice : chunk.choices()) {
			String content = choice.delta().content();
			if (choice.index() == 0 && content != null && !content.isEmpty()) {
				return content;
			}
		}
		return null;
	}

	private Flux<RunEvent> afterModel(RunRequest request, Run run, int step, ChatCompletion completion) {
		run.add(completion.usage());
		RunEvent stepCompleted = new RunEvent.StepCompleted(step, completion.usage());
		ChatCompletionMessage message = completion.choices().isEmpty()
				? new ChatCompletionMessage("assistant", "", null, List.of()) : completion.choices().get(0).message();
		String text = (message.content() != null) ? message.content() : "";
		List<ToolCall> calls = message.toolCalls();
		if (calls.isEmpty()) {
			if (!text.isEmpty()) {
				run.messages.add(ChatMessage.assistant(text));
			}
			return Flux.just(stepCompleted, new RunEvent.RunCompleted(run.result(text, step, RunFinishReason.STOP)));
		}
		run.messages.add(ChatMessage.assistant(text.isEmpty() ? null : text, calls));
		Flux<RunEvent> ready = Flux.fromIterable(calls)
			.map((call) -> new RunEvent.ToolCallReady(step, call.id(), call.function().name(), call.function().arguments()));
		Flux<RunEvent> finished = Flux.fromIterable(calls)
			.flatMapSequential((call) -> execute(request, run, step, call), request.toolConcurrency())
			.doOnNext((result) -> {
				run.toolResults.add(result);
				run.messages.add(ChatMessage.tool(result.id(), result.result()));
			})
			.map((result) -> new RunEvent.ToolFinished(step, result.id(), result.name(), result.result(), result.error()));
		Flux<RunEvent> next = Flux.defer(() -> (step >= request.maxSteps())
				? Flux.just(new RunEvent.RunCompleted(run.result(text, step, RunFinishReason.MAX_STEPS)))
				: step(request, run, step + 1));
		return Flux.concat(Flux.just(stepCompleted), ready, finished, next);
	}

	private Mono<ToolResult> execute(RunRequest request, Run run, int step, ToolCall call) {
		String name = call.function().name();
		LocalTool tool = run.tools.get(name);
		if (tool == null) {
			return Mono.just(failure(step, call, "no local tool is named '" + name + "'"));
		}
		JsonNode arguments;
		try {
			String json = call.function().arguments();
			arguments = WireJson.defaultMapper().readTree(json.isBlank() ? "{}" : json);
		}
		catch (JacksonException ex) {
			return Mono.just(failure(step, call, "the arguments are not valid JSON: " + ex.getOriginalMessage()));
		}
		Mono<?> result = tool.invoke(arguments);
		if (request.toolTimeout() != null) {
			result = result.timeout(request.toolTimeout());
		}
		return result.map((value) -> success(step, call, value))
			.defaultIfEmpty(success(step, call, null))
			.onErrorResume((error) -> Mono.just(failure(step, call, describe(error, request))));
	}

	private static String describe(Throwable error, RunRequest request) {
		if (error instanceof TimeoutException) {
			return "the tool did not finish within " + request.toolTimeout();
		}
		if (error instanceof LocalTool.InvalidArgumentsException) {
			return "the arguments do not fit the tool's parameters: " + error.getMessage();
		}
		String message = error.getMessage();
		return (message != null && !message.isBlank()) ? message : error.getClass().getSimpleName();
	}

	private static ToolResult success(int step, ToolCall call, @Nullable Object value) {
		String content = (value instanceof String text) ? text : WireJson.defaultMapper().writeValueAsString(value);
		return new ToolResult(step, call.id(), call.function().name(), content, null);
	}

	private static ToolResult failure(int step, ToolCall call, String error) {
		return new ToolResult(step, call.id(), call.function().name(), "Error: " + error, error);
	}

	/**
	 * A structured answer's text so far and its value; each delta re-reads the whole text, which is
	 * cheap next to the model for answers of a few kilobytes.
	 */
	private static final class Partial {

		private final StringBuilder text = new StringBuilder();

		private @Nullable JsonNode value;

		/** The value after a delta, or {@code null} when it did not change. */
		@Nullable JsonNode grow(String delta) {
			this.text.append(delta);
			JsonNode next = PartialJson.parse(this.text);
			if (next == null || next.equals(this.value)) {
				return null;
			}
			this.value = next;
			return next;
		}

	}

	/** One run's state, written by its own signals in order. */
	private static final class Run {

		final List<ChatMessage> messages;

		final List<ToolResult> toolResults = new ArrayList<>();

		final Map<String, LocalTool> tools;

		final List<JsonNode> serverToolResults = new ArrayList<>();

		private int promptTokens;

		private int completionTokens;

		private int totalTokens;

		Run(List<ChatMessage> messages, Map<String, LocalTool> tools) {
			this.messages = new ArrayList<>(messages);
			this.tools = tools;
		}

		void add(@Nullable Usage usage) {
			if (usage != null) {
				this.promptTokens += usage.promptTokens();
				this.completionTokens += usage.completionTokens();
				this.totalTokens += usage.totalTokens();
			}
		}

		RunResult result(String finalOutput, int steps, RunFinishReason reason) {
			return new RunResult(finalOutput, this.messages, this.toolResults, steps,
					Usage.of(this.promptTokens, this.completionTokens, this.totalTokens), reason, this.serverToolResults);
		}

	}

}
