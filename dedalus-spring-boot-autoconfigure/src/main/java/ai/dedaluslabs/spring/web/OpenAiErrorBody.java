package ai.dedaluslabs.spring.web;

import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.jspecify.annotations.Nullable;

/**
 * An error as a browser or an OpenAI SDK receives it: an HTTP status and the body
 * {@code {"error": {"message", "type", "param", "code"}}}. {@link #of(Throwable)} is the one table
 * from a failure to that answer, used by the SSE forwarders (the {@code event: error} data) and by
 * the front-end endpoint (the status and body), so both speak the same vocabulary.
 *
 * <p>
 * The text is safe to show: fixed sentences, or the fields of the API's own error object, which
 * the client has already cleaned of every configured secret. Never a stack trace, a Java class
 * name or a header.
 *
 * @param status the HTTP status
 * @param message what went wrong, for a person
 * @param type the OpenAI error type, such as {@code invalid_request_error}
 * @param param the request field at fault, or {@code null}
 * @param code a machine-readable code, or {@code null}
 * @since 0.1.0
 */
public record OpenAiErrorBody(int status, String message, String type, @Nullable String param,
		@Nullable String code) {

	/** The type of a failure to reach the model API. */
	public static final String API_CONNECTION_ERROR = "api_connection_error";

	/** The type of a model API that did not answer in time. */
	public static final String TIMEOUT = "timeout";

	/**
	 * The answer for a failure:
	 * <table>
	 * <caption>failure to answer</caption>
	 * <tr><th>failure</th><th>status</th><th>type</th></tr>
	 * <tr><td>{@link RequestRefusedException}</td><td colspan="2">its own</td></tr>
	 * <tr><td>{@link ApiStatusException}</td><td>its status</td><td>the API's, else
	 * {@code api_error}</td></tr>
	 * <tr><td>{@link StreamErrorException}</td><td>502</td><td>the API's, else {@code api_error}</td></tr>
	 * <tr><td>{@link ApiTimeoutException}, {@link ForwardingTimeoutException}</td><td>504</td><td>
	 * {@code timeout}</td></tr>
	 * <tr><td>{@link ApiConnectionException}</td><td>502</td><td>{@code api_connection_error}</td></tr>
	 * <tr><td>{@link MalformedResponseException}</td><td>502</td><td>{@code api_error}, code
	 * {@code malformed_response}</td></tr>
	 * <tr><td>any other {@link DedalusException}</td><td>502</td><td>{@code api_error}</td></tr>
	 * <tr><td>anything else</td><td>500</td><td>{@code server_error}</td></tr>
	 * </table>
	 * @param failure the failure
	 * @return the answer
	 */
	public static OpenAiErrorBody of(Throwable failure) {
		if (failure instanceof RequestRefusedException refused) {
			return refused.body();
		}
		if (failure instanceof ApiStatusException status) {
			ApiError error = status.error();
			return new OpenAiErrorBody(status.statusCode(),
					orElse(error.message(), "The model API answered with status " + status.statusCode()),
					orElse(error.type(), "api_error"), error.param(), error.code());
		}
		if (failure instanceof StreamErrorException streamError) {
			return new OpenAiErrorBody(502, orElse(streamError.errorMessage(), "The model's stream failed"),
					orElse(streamError.type(), "api_error"), null, streamError.code());
		}
		if (failure instanceof ApiTimeoutException || failure instanceof ForwardingTimeoutException) {
			return new OpenAiErrorBody(504, "The model API did not answer in time", TIMEOUT, null, null);
		}
		if (failure instanceof ApiConnectionException) {
			return new OpenAiErrorBody(502, "The connection to the model API failed", API_CONNECTION_ERROR, null,
					null);
		}
		if (failure instanceof MalformedResponseException) {
			return new OpenAiErrorBody(502, "The model's answer could not be read", "api_error", null,
					"malformed_response");
		}
		if (failure instanceof DedalusException) {
			return new OpenAiErrorBody(502, "The model API request failed", "api_error", null, null);
		}
		return new OpenAiErrorBody(500, "The request failed", "server_error", null, null);
	}

	/**
	 * A refusal of a caller's request, status 400, type {@code invalid_request_error}.
	 * @param message what is wrong, in API terms
	 * @param param the request field at fault, or {@code null}
	 * @param code a machine-readable code
	 * @return the answer
	 */
	public static OpenAiErrorBody invalidRequest(String message, @Nullable String param, String code) {
		return new OpenAiErrorBody(400, message, "invalid_request_error", param, code);
	}

	/**
	 * The body, {@code {"error": {"message", "type", "param", "code"}}}, all four keys present.
	 * @return the JSON text
	 */
	public String json() {
		return new ApiError(this.message, this.type, this.param, this.code).toJson();
	}

	private static String orElse(@Nullable String value, String fallback) {
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
