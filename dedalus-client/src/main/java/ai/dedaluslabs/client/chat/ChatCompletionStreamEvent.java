package ai.dedaluslabs.client.chat;

import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.json.WireJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A typed view of what a stream is doing, so callers never parse partial JSON themselves: text
 * and refusal pieces as they arrive and in full when their choice ends, tool calls with their
 * complete arguments, the finish of each choice, and usage. Obtain them with
 * {@link ChatCompletionAccumulator#events(reactor.core.publisher.Flux)} or
 * {@code client.chat().completions().streamEvents(request)}.
 *
 * <p>
 * Order: deltas as chunks arrive; when a choice finishes, its {@link ContentDone},
 * {@link RefusalDone} and one {@link ToolCallDone} per call (each only when there was such
 * content), then {@link ChoiceFinished}; {@link UsageReceived} when the usage chunk arrives.
 *
 * @since 0.1.0
 */
public sealed interface ChatCompletionStreamEvent {

	/**
	 * A piece of text.
	 *
	 * @param choiceIndex the choice it belongs to
	 * @param delta the new text
	 */
	record ContentDelta(int choiceIndex, String delta) implements ChatCompletionStreamEvent {
	}

	/**
	 * A choice's complete text.
	 *
	 * @param choiceIndex the choice
	 * @param content all its text
	 */
	record ContentDone(int choiceIndex, String content) implements ChatCompletionStreamEvent {
	}

	/**
	 * A piece of a refusal.
	 *
	 * @param choiceIndex the choice it belongs to
	 * @param delta the new text
	 */
	record RefusalDelta(int choiceIndex, String delta) implements ChatCompletionStreamEvent {
	}

	/**
	 * A choice's complete refusal.
	 *
	 * @param choiceIndex the choice
	 * @param refusal all its refusal text
	 */
	record RefusalDone(int choiceIndex, String refusal) implements ChatCompletionStreamEvent {
	}

	/**
	 * A piece of a tool call's arguments.
	 *
	 * @param choiceIndex the choice it belongs to
	 * @param toolCallIndex the call's index within the choice
	 * @param name the function's name (known from the call's first piece)
	 * @param argumentsDelta the new piece of the arguments' JSON text
	 */
	record ToolCallArgumentsDelta(int choiceIndex, int toolCallIndex, String name, String argumentsDelta)
			implements ChatCompletionStreamEvent {
	}

	/**
	 * A complete tool call, emitted when its choice finishes.
	 *
	 * @param choiceIndex the choice it belongs to
	 * @param toolCallIndex the call's index within the choice
	 * @param id the call's id, to answer with {@link ChatMessage#tool(String, String)}
	 * @param name the function's name
	 * @param arguments the complete arguments' JSON text, as the model wrote it
	 */
	record ToolCallDone(int choiceIndex, int toolCallIndex, String id, String name, String arguments)
			implements ChatCompletionStreamEvent {

		/**
		 * Parse the arguments as a JSON tree.
		 * @return the tree ({@code {}} for empty arguments)
		 * @throws MalformedResponseException when the model wrote invalid JSON
		 */
		public JsonNode parseArguments() {
			return parseArguments(JsonNode.class);
		}

		/**
		 * Parse the arguments into a type, with the wire's snake_case naming.
		 * @param <T> the type
		 * @param type a record or bean class matching the function's schema
		 * @return the arguments
		 * @throws MalformedResponseException when the model wrote invalid JSON or JSON that does
		 * not fit the type
		 */
		public <T> T parseArguments(Class<T> type) {
			String json = this.arguments.isBlank() ? "{}" : this.arguments;
			try {
				return WireJson.defaultMapper().readValue(json, type);
			}
			catch (JacksonException ex) {
				throw new MalformedResponseException("The model wrote arguments for tool '" + this.name
						+ "' that do not parse as " + type.getSimpleName() + ": '" + json + "' ("
						+ ex.getOriginalMessage() + ")", ex);
			}
		}

	}

	/**
	 * A choice ended.
	 *
	 * @param choiceIndex the choice
	 * @param finishReason why: {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}, ...
	 */
	record ChoiceFinished(int choiceIndex, String finishReason) implements ChatCompletionStreamEvent {
	}

	/**
	 * The API reported token usage (the final chunk of a stream that asked for it).
	 *
	 * @param usage the usage
	 */
	record UsageReceived(Usage usage) implements ChatCompletionStreamEvent {
	}

}
