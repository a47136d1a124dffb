package ai.dedaluslabs.spring.proxy;

import ai.dedaluslabs.client.internal.ErrorBodies;
import org.jspecify.annotations.Nullable;

/**
 * A refusal in the body the OpenAI SDKs read, {@code {"error": {"message", "type", "param",
 * "code"}}}, so they raise {@code BadRequestError}, {@code RateLimitError} and so on.
 */
final class ProxyError {

	private ProxyError() {
	}

	static ProxyResult.Json of(int status, String message, String type, @Nullable String param, @Nullable String code) {
		return new ProxyResult.Json(status, ErrorBodies.write(message, type, param, code));
	}

	static ProxyResult.Json invalid(String message, @Nullable String param, String code) {
		return of(400, message, "invalid_request_error", param, code);
	}

}
