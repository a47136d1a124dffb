package ai.dedaluslabs.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP error as the API sends it: status, {@code {"error": {"message", "type", "param", "code"}}}
 * body and headers such as {@code retry-after} and {@code x-request-id}.
 *
 * @since 0.1.0
 */
public final class ErrorReply implements MockReply {

	private final int status;

	private String message;

	private String type;

	private @Nullable String code;

	private @Nullable String param;

	private final Map<String, String> headers = new LinkedHashMap<>();

	private ErrorReply(int status) {
		this.status = status;
		this.message = "Scripted error " + status;
		this.type = (status == 429) ? "rate_limit_error" : (status >= 500) ? "server_error" : "invalid_request_error";
	}

	static ErrorReply of(int status) {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("an error reply needs a 4xx or 5xx status, not " + status);
		}
		return new ErrorReply(status);
	}

	/**
	 * The error message.
	 * @param message the message
	 * @return this reply
	 */
	public ErrorReply message(String message) {
		this.message = message;
		return this;
	}

	/**
	 * The error type (defaults by status: {@code invalid_request_error}, {@code rate_limit_error},
	 * {@code server_error}).
	 * @param type the type
	 * @return this reply
	 */
	public ErrorReply type(String type) {
		this.type = type;
		return this;
	}

	/**
	 * The error code.
	 * @param code the code
	 * @return this reply
	 */
	public ErrorReply code(String code) {
		this.code = code;
		return this;
	}

	/**
	 * The request parameter at fault.
	 * @param param the parameter
	 * @return this reply
	 */
	public ErrorReply param(String param) {
		this.param = param;
		return this;
	}

	/**
	 * A {@code retry-after} header in whole seconds.
	 * @param wait the wait
	 * @return this reply
	 */
	public ErrorReply retryAfter(Duration wait) {
		return header("retry-after", Long.toString(wait.toSeconds()));
	}

	/**
	 * An {@code x-request-id} header.
	 * @param requestId the id
	 * @return this reply
	 */
	public ErrorReply requestId(String requestId) {
		return header("x-request-id", requestId);
	}

	/**
	 * Any header, such as {@code x-should-retry}.
	 * @param name the name
	 * @param value the value
	 * @return this reply
	 */
	public ErrorReply header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	int status() {
		return this.status;
	}

	Map<String, String> headers() {
		return this.headers;
	}

	String body() {
		return ChunkJson.error(this.message, this.type, this.param, this.code);
	}

}
