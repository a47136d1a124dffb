package ai.dedaluslabs.client.chat;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One message of the conversation sent to the model. Create messages with the factories
 * ({@link #system}, {@link #developer}, {@link #user}, {@link #assistant}, {@link #tool}); the
 * record form exists for the wire.
 *
 * @param role {@code system}, {@code developer}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text or parts; {@code null} only for an assistant message that only calls tools
 * @param name an optional participant name, or {@code null}
 * @param toolCalls for an assistant message, the tools it called; otherwise empty
 * @param toolCallId for a tool message, the id of the call it answers; otherwise {@code null}
 * @param refusal for an assistant message, its refusal text; otherwise {@code null}
 * @since 0.1.0
 */
public record ChatMessage(String role, @Nullable MessageContent content, @Nullable String name,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls, @Nullable String toolCallId,
		@Nullable String refusal) {

	/**
	 * Validates the message.
	 */
	public ChatMessage {
		if (role == null || role.isBlank()) {
			throw new IllegalArgumentException("message role must not be blank; use ChatMessage.user(...), system(...), assistant(...) or tool(...)");
		}
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
		if (content == null && toolCalls.isEmpty() && refusal == null) {
			throw new IllegalArgumentException("message content must not be null for role '" + role
					+ "'; only an assistant message that calls tools may omit it");
		}
	}

	/**
	 * A system message: instructions the model follows.
	 * @param content the instructions
	 * @return the message
	 */
	public static ChatMessage system(String content) {
		return text("system", content);
	}

	/**
	 * A developer message: instructions, for models that distinguish them from system ones.
	 * @param content the instructions
	 * @return the message
	 */
	public static ChatMessage developer(String content) {
		return text("developer", content);
	}

	/**
	 * A user message with text.
	 * @param content what the user said
	 * @return the message
	 */
	public static ChatMessage user(String content) {
		return text("user", content);
	}

	/**
	 * A user message with parts, for example text and images.
	 * @param parts the parts, at least one
	 * @return the message
	 */
	public static ChatMessage user(List<ContentPart> parts) {
		return new ChatMessage("user", MessageContent.of(parts), null, List.of(), null, null);
	}

	/**
	 * An assistant message with text, for replaying a conversation.
	 * @param content what the assistant said
	 * @return the message
	 */
	public static ChatMessage assistant(String content) {
		return text("assistant", content);
	}

	/**
	 * An assistant message that called tools, for replaying a conversation before the tools' answers.
	 * @param content any text it wrote with the calls, or {@code null}
	 * @param toolCalls the calls, at least one
	 * @return the message
	 */
	public static ChatMessage assistant(@Nullable String content, List<ToolCall> toolCalls) {
		return new ChatMessage("assistant", (content != null) ? MessageContent.of(content) : null, null, toolCalls,
				null, null);
	}

	/**
	 * The assistant message a completion returned, to send back in the next request.
	 * @param message the completion's message
	 * @return the message
	 */
	public static ChatMessage assistant(ChatCompletionMessage message) {
		Objects.requireNonNull(message, "message");
		MessageContent content = (message.content() != null) ? MessageContent.of(message.content()) : null;
		return new ChatMessage("assistant", content, null, message.toolCalls(), null, message.refusal());
	}

	/**
	 * A tool's answer to a call.
	 * @param toolCallId the {@link ToolCall#id()} it answers
	 * @param content the result, usually JSON text
	 * @return the message
	 */
	public static ChatMessage tool(String toolCallId, String content) {
		if (toolCallId == null || toolCallId.isBlank()) {
			throw new IllegalArgumentException("toolCallId must not be blank; pass the id of the ToolCall this answers");
		}
		return new ChatMessage("tool", MessageContent.of(Objects.requireNonNull(content, "content")), null, List.of(),
				toolCallId, null);
	}

	private static ChatMessage text(String role, String content) {
		Objects.requireNonNull(content, "content");
		return new ChatMessage(role, MessageContent.of(content), null, List.of(), null, null);
	}

	/**
	 * A copy with a participant name.
	 * @param name the name
	 * @return the copy
	 */
	public ChatMessage withName(@Nullable String name) {
		return new ChatMessage(this.role, this.content, name, this.toolCalls, this.toolCallId, this.refusal);
	}

	/**
	 * The content as plain text: the text itself, or the text parts joined.
	 * @return the text, or {@code null} when the message has no content
	 */
	public @Nullable String text() {
		if (this.content instanceof MessageContent.Text text) {
			return text.text();
		}
		if (this.content instanceof MessageContent.Parts parts) {
			StringBuilder joined = new StringBuilder();
			for (ContentPart part : parts.parts()) {
				if (part instanceof ContentPart.Text text) {
					joined.append(text.text());
				}
			}
			return joined.toString();
		}
		return null;
	}

}
