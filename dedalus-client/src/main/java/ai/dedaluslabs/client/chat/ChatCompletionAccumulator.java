package ai.dedaluslabs.client.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import ai.dedaluslabs.client.error.DedalusException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the complete {@link ChatCompletion} from the chunks of a stream: text and refusals
 * concatenated per choice, tool calls merged by choice index and tool-call index, the finish
 * reason of each choice, the usage from the final chunk, and the completion's id, model, creation
 * time and fingerprint.
 *
 * <pre class="code">
 * ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
 * client.chat().completions().stream(request).doOnNext(accumulator::accept).blockLast();
 * ChatCompletion completion = accumulator.toChatCompletion();
 * </pre>
 *
 * <p>
 * Tool calls: the first piece of a call carries its id and name; later pieces are matched by
 * {@code index} whether they repeat the id, send an empty one or none. A piece that arrives at an
 * index already in use with a different, non-empty id and a function name starts a new call
 * (some providers number every call 0); later pieces at that index extend the newest call.
 *
 * <p>
 * Not thread-safe: feed it from one subscriber, as Reactor delivers signals serially.
 *
 * @since 0.1.0
 */
public final class ChatCompletionAccumulator {

	/** The default limit on accumulated text: 16 Mi characters per completion. */
	public static final int DEFAULT_MAX_CONTENT_LENGTH = 16 * 1024 * 1024;

	private final List<@Nullable ChoiceState> choices = new ArrayList<>(1);

	private final long maxContentLength;

	private long contentLength;

	private String id = "";

	private String model = "";

	private long created;

	private @Nullable String systemFingerprint;

	private @Nullable String serviceTier;

	private @Nullable Usage usage;

	/**
	 * Create an empty accumulator with the default limit on accumulated text.
	 */
	public ChatCompletionAccumulator() {
		this(DEFAULT_MAX_CONTENT_LENGTH);
	}

	/**
	 * Create an empty accumulator.
	 * @param maxContentLength the most characters of content, refusal and tool-call arguments it
	 * gathers over all choices; more fails {@link #accept} with a {@link DedalusException}, so a
	 * runaway stream cannot exhaust memory
	 */
	public ChatCompletionAccumulator(long maxContentLength) {
		if (maxContentLength < 1) {
			throw new IllegalArgumentException("maxContentLength must be positive, but was " + maxContentLength);
		}
		this.maxContentLength = maxContentLength;
	}

	/**
	 * Collect a stream into its complete completion.
	 * @param chunks the stream; subscribed once
	 * @return the completion, emitted when the stream completes; the stream's error otherwise
	 */
	public static Mono<ChatCompletion> accumulate(Flux<ChatCompletionChunk> chunks) {
		Objects.requireNonNull(chunks, "chunks");
		return Mono.defer(() -> {
			ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
			return chunks.doOnNext(accumulator::accept).then(Mono.fromSupplier(accumulator::toChatCompletion));
		});
	}

	/**
	 * The typed event view of a stream.
	 * @param chunks the stream; subscribed once per subscription to the result
	 * @return the events
	 * @see ChatCompletionStreamEvent
	 */
	public static Flux<ChatCompletionStreamEvent> events(Flux<ChatCompletionChunk> chunks) {
		Objects.requireNonNull(chunks, "chunks");
		return Flux.defer(() -> {
			ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
			return chunks.concatMapIterable((chunk) -> {
				List<ChatCompletionStreamEvent> events = new ArrayList<>(2);
				accumulator.accept(chunk, events::add);
				return events;
			}).concatWith(Flux.defer(() -> {
				List<ChatCompletionStreamEvent> events = new ArrayList<>(2);
				accumulator.closeOpenChoices(events::add);
				return Flux.fromIterable(events);
			}));
		});
	}

	/**
	 * Add a chunk.
	 * @param chunk the next chunk of the stream
	 */
	public void accept(ChatCompletionChunk chunk) {
		accept(chunk, null);
	}

	private void accept(ChatCompletionChunk chunk, @Nullable Consumer<ChatCompletionStreamEvent> events) {
		Objects.requireNonNull(chunk, "chunk");
		if (this.id.isEmpty()) {
			this.id = chunk.id();
		}
		if (this.model.isEmpty()) {
			this.model = chunk.model();
		}
		if (this.created == 0) {
			this.created = chunk.created();
		}
		if (chunk.systemFingerprint() != null) {
			this.systemFingerprint = chunk.systemFingerprint();
		}
		if (chunk.serviceTier() != null) {
			this.serviceTier = chunk.serviceTier();
		}
		List<ChatCompletionChunk.Choice> chunkChoices = chunk.choices();
		for (int i = 0, size = chunkChoices.size(); i < size; i++) {
			ChatCompletionChunk.Choice choice = chunkChoices.get(i);
			count(choice.delta());
			choice(choice.index()).accept(choice, events);
		}
		if (chunk.usage() != null) {
			this.usage = chunk.usage();
			if (events != null) {
				events.accept(new ChatCompletionStreamEvent.UsageReceived(chunk.usage()));
			}
		}
	}

	private void count(ChatCompletionChunk.Delta delta) {
		long added = length(delta.content()) + length(delta.refusal());
		List<ChatCompletionChunk.ToolCallDelta> calls = delta.toolCalls();
		for (int i = 0, size = calls.size(); i < size; i++) {
			added += length(calls.get(i).function().arguments());
		}
		this.contentLength += added;
		if (this.contentLength > this.maxContentLength) {
			throw new DedalusException("The streamed completion grew past the accumulator's limit of "
					+ this.maxContentLength + " characters; pass a larger limit to new ChatCompletionAccumulator(long) "
					+ "or cap the answer with maxCompletionTokens");
		}
	}

	private static int length(@Nullable String text) {
		return (text != null) ? text.length() : 0;
	}

	private void closeOpenChoices(Consumer<ChatCompletionStreamEvent> events) {
		for (ChoiceState choice : this.choices) {
			if (choice != null && !choice.finished) {
				choice.emitDone(events);
			}
		}
	}

	/**
	 * The completion so far; after the last chunk, the complete one.
	 * @return a new, immutable completion
	 */
	public ChatCompletion toChatCompletion() {
		List<ChatCompletion.Choice> built = new ArrayList<>(this.choices.size());
		for (ChoiceState choice : this.choices) {
			if (choice != null) {
				built.add(choice.toChoice());
			}
		}
		return new ChatCompletion(this.id, "chat.completion", this.created, this.model, built, this.usage,
				this.systemFingerprint, this.serviceTier, List.of(), List.of(), null);
	}

	private ChoiceState choice(int index) {
		if (index < 0) {
			throw new IllegalArgumentException("choice index must not be negative, but was " + index);
		}
		while (this.choices.size() <= index) {
			this.choices.add(null);
		}
		ChoiceState state = this.choices.get(index);
		if (state == null) {
			state = new ChoiceState(index);
			this.choices.set(index, state);
		}
		return state;
	}

	/** Everything known about one choice. */
	private static final class ChoiceState {

		private final int index;

		private @Nullable String role;

		private @Nullable StringBuilder content;

		private @Nullable StringBuilder refusal;

		private @Nullable String finishReason;

		private @Nullable ArrayNode logprobContent;

		private @Nullable ArrayNode logprobRefusal;

		private final List<ToolCallState> toolCalls = new ArrayList<>(0);

		private boolean finished;

		ChoiceState(int index) {
			this.index = index;
		}

		void accept(ChatCompletionChunk.Choice choice, @Nullable Consumer<ChatCompletionStreamEvent> events) {
			ChatCompletionChunk.Delta delta = choice.delta();
			if (delta.role() != null) {
				this.role = delta.role();
			}
			String text = delta.content();
			if (text != null && !text.isEmpty()) {
				this.content = append(this.content, text);
				if (events != null) {
					events.accept(new ChatCompletionStreamEvent.ContentDelta(this.index, text));
				}
			}
			String refused = delta.refusal();
			if (refused != null && !refused.isEmpty()) {
				this.refusal = append(this.refusal, refused);
				if (events != null) {
					events.accept(new ChatCompletionStreamEvent.RefusalDelta(this.index, refused));
				}
			}
			List<ChatCompletionChunk.ToolCallDelta> calls = delta.toolCalls();
			for (int i = 0, size = calls.size(); i < size; i++) {
				acceptToolCall(calls.get(i), events);
			}
			if (choice.logprobs() != null) {
				acceptLogprobs(choice.logprobs());
			}
			if (choice.finishReason() != null) {
				this.finishReason = choice.finishReason();
				if (events != null && !this.finished) {
					emitDone(events);
					events.accept(new ChatCompletionStreamEvent.ChoiceFinished(this.index, choice.finishReason()));
				}
				this.finished = true;
			}
		}

		private void acceptToolCall(ChatCompletionChunk.ToolCallDelta delta,
				@Nullable Consumer<ChatCompletionStreamEvent> events) {
			ToolCallState call = latestAt(delta.index());
			String deltaId = delta.id();
			String deltaName = delta.function().name();
			boolean startsAnother = call != null && deltaId != null && !deltaId.isEmpty() && !call.id.isEmpty()
					&& !deltaId.equals(call.id) && deltaName != null && !deltaName.isEmpty();
			if (call == null || startsAnother) {
				call = new ToolCallState(delta.index());
				this.toolCalls.add(call);
			}
			call.accept(delta);
			String arguments = delta.function().arguments();
			if (events != null && arguments != null && !arguments.isEmpty()) {
				events.accept(new ChatCompletionStreamEvent.ToolCallArgumentsDelta(this.index, call.index, call.name,
						arguments));
			}
		}

		private @Nullable ToolCallState latestAt(int toolIndex) {
			for (int i = this.toolCalls.size() - 1; i >= 0; i--) {
				ToolCallState call = this.toolCalls.get(i);
				if (call.index == toolIndex) {
					return call;
				}
			}
			return null;
		}

		private void acceptLogprobs(JsonNode logprobs) {
			this.logprobContent = append(this.logprobContent, logprobs.get("content"));
			this.logprobRefusal = append(this.logprobRefusal, logprobs.get("refusal"));
		}

		private static @Nullable ArrayNode append(@Nullable ArrayNode all, @Nullable JsonNode entries) {
			if (entries == null || !entries.isArray()) {
				return all;
			}
			ArrayNode target = (all != null) ? all : JsonNodeFactory.instance.arrayNode();
			target.addAll((ArrayNode) entries);
			return target;
		}

		void emitDone(Consumer<ChatCompletionStreamEvent> events) {
			if (this.content != null) {
				events.accept(new ChatCompletionStreamEvent.ContentDone(this.index, this.content.toString()));
			}
			if (this.refusal != null) {
				events.accept(new ChatCompletionStreamEvent.RefusalDone(this.index, this.refusal.toString()));
			}
			for (ToolCallState call : sortedToolCalls()) {
				events.accept(new ChatCompletionStreamEvent.ToolCallDone(this.index, call.index, call.id, call.name,
						call.arguments.toString()));
			}
		}

		private List<ToolCallState> sortedToolCalls() {
			List<ToolCallState> sorted = new ArrayList<>(this.toolCalls);
			sorted.sort((a, b) -> Integer.compare(a.index, b.index));
			return sorted;
		}

		ChatCompletion.Choice toChoice() {
			List<ToolCall> calls = new ArrayList<>(this.toolCalls.size());
			for (ToolCallState call : sortedToolCalls()) {
				calls.add(new ToolCall(call.id, call.type, new FunctionCall(call.name, call.arguments.toString())));
			}
			ChatCompletionMessage message = new ChatCompletionMessage((this.role != null) ? this.role : "assistant",
					(this.content != null) ? this.content.toString() : null,
					(this.refusal != null) ? this.refusal.toString() : null, calls);
			ObjectNode logprobs = null;
			if (this.logprobContent != null || this.logprobRefusal != null) {
				logprobs = JsonNodeFactory.instance.objectNode();
				if (this.logprobContent != null) {
					logprobs.set("content", this.logprobContent.deepCopy());
				}
				if (this.logprobRefusal != null) {
					logprobs.set("refusal", this.logprobRefusal.deepCopy());
				}
			}
			return new ChatCompletion.Choice(this.index, message, this.finishReason, logprobs);
		}

		private static StringBuilder append(@Nullable StringBuilder builder, String text) {
			return ((builder != null) ? builder : new StringBuilder(64)).append(text);
		}

	}

	/** Everything known about one tool call. */
	private static final class ToolCallState {

		private final int index;

		private String id = "";

		private String type = "function";

		private String name = "";

		private final StringBuilder arguments = new StringBuilder();

		ToolCallState(int index) {
			this.index = index;
		}

		void accept(ChatCompletionChunk.ToolCallDelta delta) {
			if (this.id.isEmpty() && delta.id() != null) {
				this.id = delta.id();
			}
			if (delta.type() != null && !delta.type().isEmpty()) {
				this.type = delta.type();
			}
			String deltaName = delta.function().name();
			if (this.name.isEmpty() && deltaName != null) {
				this.name = deltaName;
			}
			String deltaArguments = delta.function().arguments();
			if (deltaArguments != null) {
				this.arguments.append(deltaArguments);
			}
		}

	}

}
