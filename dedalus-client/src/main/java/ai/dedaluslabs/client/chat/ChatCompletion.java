package ai.dedaluslabs.client.chat;

import java.util.List;
import java.util.Objects;

import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.json.WireJson;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A complete chat completion ({@code object: chat.completion}), as returned by a non-streamed
 * call or built from a stream by {@link ChatCompletionAccumulator}.
 *
 * @param id the completion's id
 * @param object the object type, {@code chat.completion}, or {@code null}
 * @param created creation time, in seconds since the epoch
 * @param model the model that produced it
 * @param choices one choice per requested completion ({@code n})
 * @param usage token usage, or {@code null} when the API reported none
 * @param systemFingerprint the backend configuration fingerprint, or {@code null}
 * @param serviceTier the service tier that served the request, or {@code null}
 * @param toolsExecuted Dedalus: names of the tools Dedalus ran on the server side; empty when none
 * @param mcpToolResults Dedalus: the results of MCP tools Dedalus ran, as sent; empty when none
 * @param mcpServerErrors Dedalus: errors from MCP servers, as sent, or {@code null}
 * @since 0.1.0
 */
public record ChatCompletion(String id, @Nullable String object, long created, String model, List<Choice> choices,
		@Nullable Usage usage, @Nullable String systemFingerprint, @Nullable String serviceTier,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> toolsExecuted,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<JsonNode> mcpToolResults, @Nullable JsonNode mcpServerErrors) {

	/**
	 * Normalises absent values: strings to {@code ""}, lists to empty.
	 */
	public ChatCompletion {
		id = Objects.requireNonNullElse(id, "");
		model = Objects.requireNonNullElse(model, "");
		choices = (choices != null) ? List.copyOf(choices) : List.of();
		toolsExecuted = (toolsExecuted != null) ? List.copyOf(toolsExecuted) : List.of();
		mcpToolResults = (mcpToolResults != null) ? List.copyOf(mcpToolResults) : List.of();
		mcpServerErrors = (mcpServerErrors == null || mcpServerErrors.isNull()) ? null : mcpServerErrors;
	}

	/**
	 * The first choice's text, the common case of {@code n = 1}.
	 * @return the text, or {@code null} when there is no choice or no text
	 */
	public @Nullable String content() {
		return this.choices.isEmpty() ? null : this.choices.get(0).message().content();
	}

	/**
	 * The first choice's content read as JSON into a type, for a request with a JSON
	 * {@link ResponseFormat}.
	 * @param <T> the type
	 * @param type the type
	 * @return the value
	 * @throws MalformedResponseException when there is no content (a refusal, say) or it is not JSON
	 * of that type
	 */
	public <T> T parse(Class<T> type) {
		String content = content();
		if (content == null) {
			Choice first = this.choices.isEmpty() ? null : this.choices.get(0);
			String refusal = (first != null) ? first.message().refusal() : null;
			throw new MalformedResponseException("The completion has no content to read as a " + type.getSimpleName()
					+ ((refusal != null) ? "; the model refused: " + refusal : ""));
		}
		try {
			return WireJson.defaultMapper().readValue(content, type);
		}
		catch (JacksonException ex) {
			throw new MalformedResponseException(
					"The completion's content is not a " + type.getSimpleName() + " in JSON: " + ex.getOriginalMessage(),
					ex);
		}
	}

	/**
	 * One complete choice.
	 *
	 * @param index the choice's position
	 * @param message what the model wrote
	 * @param finishReason why it ended ({@code stop}, {@code length}, {@code tool_calls}, ...), or
	 * {@code null} when a stream ended without saying
	 * @param logprobs log probabilities when requested, as the API sent them, or {@code null}
	 */
	public record Choice(int index, ChatCompletionMessage message, @Nullable String finishReason,
			@Nullable JsonNode logprobs) {

		/**
		 * Normalises absent values.
		 */
		public Choice {
			message = Objects.requireNonNullElse(message, new ChatCompletionMessage("assistant", null, null, List.of()));
			logprobs = (logprobs == null || logprobs.isNull()) ? null : logprobs;
		}

	}

}
