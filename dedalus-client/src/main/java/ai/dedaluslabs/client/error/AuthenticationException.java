package ai.dedaluslabs.client.error;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 401: the API key is missing, wrong or revoked. Check {@code dedalus.api-key} / {@code DEDALUS_API_KEY}. Not retried.
 *
 * @since 0.1.0
 */
public class AuthenticationException extends ApiStatusException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception for a 401 response.
	 * @param statusCode the HTTP status
	 * @param requestId the {@code x-request-id} header, or {@code null}
	 * @param body the raw response body
	 * @param error the error parsed from the body
	 * @param headers the response headers, names in lower case
	 */
	public AuthenticationException(int statusCode, @Nullable String requestId, String body, ApiError error,
			Map<String, List<String>> headers) {
		super(statusCode, requestId, body, error, headers);
	}

}
