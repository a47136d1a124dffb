package ai.dedaluslabs.client.chat;

import java.util.Objects;

/**
 * A stream event as received: its JSON text exactly as the API sent it, for relaying without
 * re-encoding (a browser or an OpenAI-compatible front end sees the provider's own bytes), with
 * the decoded chunk beside it.
 *
 * @param json the event's data, byte for byte as received, decoded as UTF-8
 * @param chunk the same event decoded
 * @since 0.1.0
 */
public record RawChatCompletionChunk(String json, ChatCompletionChunk chunk) {

	/**
	 * Validates the parts.
	 */
	public RawChatCompletionChunk {
		Objects.requireNonNull(json, "json");
		Objects.requireNonNull(chunk, "chunk");
	}

}
