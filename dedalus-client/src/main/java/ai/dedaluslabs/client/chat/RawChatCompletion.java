package ai.dedaluslabs.client.chat;

import java.util.Objects;

/**
 * A non-streamed completion as received: its JSON text exactly as the API sent it, for relaying
 * without re-encoding, with the decoded completion beside it.
 *
 * @param json the response body, as received
 * @param completion the same body decoded
 * @since 0.1.0
 */
public record RawChatCompletion(String json, ChatCompletion completion) {

	/**
	 * Validates the parts.
	 */
	public RawChatCompletion {
		Objects.requireNonNull(json, "json");
		Objects.requireNonNull(completion, "completion");
	}

}
