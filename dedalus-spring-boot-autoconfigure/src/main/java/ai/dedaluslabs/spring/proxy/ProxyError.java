package ai.dedaluslabs.spring.proxy;

import ai.dedaluslabs.client.internal.WireJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * A refusal in the body the OpenAI SDKs read, {@code {"error": {"message", "type", "param",
 * "code"}}}, so they raise {@code BadRequestError}, {@code RateLimitError} and so on.
 */
final class ProxyError {

	private ProxyError() {
	}

	static ProxyResult.Json of(int status, String message, String type, @Nullable String param, @Nullable String code) {
		ObjectNode body = WireJson.defaultMapper().createObjectNode();
		ObjectNode error = body.putObject("error");
		error.put("message", message);
		error.put("type", type);
		if (param != null) {
			error.put("param", param);
		}
		else {
			error.putNull("param");
		}
		if (code != null) {
			error.put("code", code);
		}
		else {
			error.putNull("code");
		}
		return new ProxyResult.Json(status, WireJson.defaultMapper().writeValueAsString(body));
	}

	static ProxyResult.Json invalid(String message, @Nullable String param, String code) {
		return of(400, message, "invalid_request_error", param, code);
	}

}
