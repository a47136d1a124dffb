package ai.dedaluslabs.client.chat;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The message a model wrote in a {@link ChatCompletion}. To continue a conversation, send it back
 * with {@link ChatMessage#assistant(ChatCompletionMessage)}.
 *
 * @param role the author's role, {@code assistant}
 * @param content the text, or {@code null} when the model only called tools or refused
 * @param refusal the refusal text, or {@code null}
 * @param toolCalls the tools the model asked to call; empty when none
 * @since 0.1.0
 */
public record ChatCompletionMessage(String role, @Nullable String content, @Nullable String refusal,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls) {

	/**
	 * Normalises absent values.
	 */
	public ChatCompletionMessage {
		role = Objects.requireNonNullElse(role, "assistant");
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
	}

}
