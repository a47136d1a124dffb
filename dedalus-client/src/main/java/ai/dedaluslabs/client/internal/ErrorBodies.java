package ai.dedaluslabs.client.internal;

import ai.dedaluslabs.client.error.ApiError;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the API's error object from a body or event, wrapped in {@code {"error": ...}} or not.
 * A body that is not JSON gives {@link ApiError#EMPTY}: the raw text is still kept by the caller.
 */
final class ErrorBodies {

	private ErrorBodies() {
	}

	/**
	 * An error with every secret masked, also where JSON escapes hid one from the byte-level
	 * masking of the body.
	 */
	static ApiError masked(ApiError error, Secrets secrets) {
		return new ApiError(secrets.mask(error.message()), secrets.mask(error.type()), secrets.mask(error.param()),
				secrets.mask(error.code()));
	}

	static ApiError parse(JsonMapper mapper, String body) {
		if (body.isBlank()) {
			return ApiError.EMPTY;
		}
		try {
			return fromNode(mapper.readTree(body));
		}
		catch (JacksonException ex) {
			return ApiError.EMPTY;
		}
	}

	static ApiError fromNode(@Nullable JsonNode node) {
		if (node == null || !node.isObject()) {
			return ApiError.EMPTY;
		}
		JsonNode error = node.get("error");
		if (error != null && error.isString()) {
			return new ApiError(error.stringValue(), text(node, "type"), text(node, "param"), text(node, "code"));
		}
		JsonNode source = (error != null && error.isObject()) ? error : node;
		return new ApiError(text(source, "message"), text(source, "type"), text(source, "param"), text(source, "code"));
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		return value.isValueNode() ? value.asString() : value.toString();
	}

}
