package ai.dedaluslabs.client.error;

import ai.dedaluslabs.client.json.WireJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * The error object the API sends with a failed request or inside a failed stream, as
 * {@code {"error": {"message", "type", "param", "code"}}} or unwrapped. Every part is optional
 * because providers behind Dedalus fill them unevenly.
 *
 * @param message the human-readable explanation, or {@code null}
 * @param type the error class, such as {@code invalid_request_error}, or {@code null}
 * @param param the request parameter at fault, or {@code null}
 * @param code a machine-readable code (numbers are given as text), or {@code null}
 * @since 0.1.0
 */
public record ApiError(@Nullable String message, @Nullable String type, @Nullable String param,
		@Nullable String code) {

	/** An error with no details, for bodies that carried none. */
	public static final ApiError EMPTY = new ApiError(null, null, null, null);

	/**
	 * This error in the body the OpenAI SDKs read, {@code {"error": {"message", "type", "param",
	 * "code"}}}, with all four keys present ({@code null} where unset), so SDKs raise their typed
	 * errors from it.
	 * @return the JSON text
	 */
	public String toJson() {
		ObjectNode body = WireJson.defaultMapper().createObjectNode();
		ObjectNode error = body.putObject("error");
		error.put("message", this.message);
		error.put("type", this.type);
		error.put("param", this.param);
		error.put("code", this.code);
		return WireJson.defaultMapper().writeValueAsString(body);
	}

	static void appendTypeAndCode(StringBuilder text, @Nullable String type, @Nullable String code) {
		if (type == null && code == null) {
			return;
		}
		text.append(" [");
		if (type != null) {
			text.append(type);
		}
		if (code != null) {
			text.append((type != null) ? ": " : "").append(code);
		}
		text.append(']');
	}

}
