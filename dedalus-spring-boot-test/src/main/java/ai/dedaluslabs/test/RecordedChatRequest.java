package ai.dedaluslabs.test;

import java.util.List;
import java.util.Map;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.json.WireJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A request the {@link DedalusMockServer} received, as sent: method, path, headers and body, and
 * the body read back as a {@link ChatCompletionRequest} for typed assertions.
 *
 * @param method the HTTP method
 * @param path the path, such as {@code /v1/chat/completions}
 * @param headers the headers, names in lower case
 * @param body the raw body, empty for none
 * @param request the body as a request, or {@code null} when it was not one (see {@link #failure()})
 * @param failure why the body could not be read as a request, or {@code null}
 * @since 0.1.0
 */
public record RecordedChatRequest(String method, String path, Map<String, List<String>> headers, String body,
		@Nullable ChatCompletionRequest request, @Nullable String failure) {

	/**
	 * The first value of a header.
	 * @param name the header name, any case
	 * @return the value, or {@code null}
	 */
	public @Nullable String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/**
	 * The body as a JSON tree.
	 * @return the tree
	 */
	public JsonNode json() {
		return WireJson.defaultMapper().readTree(this.body);
	}

	/**
	 * Whether the request asked for a stream.
	 * @return {@code true} for {@code "stream": true}
	 */
	public boolean streaming() {
		return this.request != null && Boolean.TRUE.equals(this.request.stream());
	}

	/**
	 * The request line and the shape of the request, so a failing assertion reads well.
	 * @return for example {@code POST /v1/chat/completions (model=openai/gpt-5-nano, stream=true, messages=2)}
	 */
	@Override
	public String toString() {
		if (this.request == null) {
			return this.method + " " + this.path + ((this.failure != null) ? " (unreadable: " + this.failure + ")" : "");
		}
		return this.method + " " + this.path + " (model="
				+ ((this.request.model() != null) ? this.request.model().primaryId() : "(default)") + ", stream="
				+ streaming() + ", messages=" + this.request.messages().size() + ")";
	}

}
